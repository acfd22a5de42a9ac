"""Phone-line staffing: Erlang C and A, call forecasts, and staffing plans."""
