"""Best responses between firms (``ckm-sim optimize --best-response-rounds``): one firm's
response (``response``), rounds of them until they settle or cycle (``rounds``), the report
(``report``)."""
