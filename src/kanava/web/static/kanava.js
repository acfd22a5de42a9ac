// Small enhancements only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A form that has been sent once is not sent again by a second click.
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", () => {
      for (const button of form.querySelectorAll("button[type=submit]")) {
        button.setAttribute("aria-disabled", "true");
      }
      form.addEventListener("submit", (event) => event.preventDefault());
    });
  }
  // A print button where the page offers one.
  for (const holder of document.querySelectorAll("[data-print-label]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = holder.getAttribute("data-print-label");
    button.addEventListener("click", () => window.print());
    holder.appendChild(button);
  }
  // After an error, take the reader to the summary of what to fix.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
