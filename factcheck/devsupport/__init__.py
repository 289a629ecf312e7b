"""Development support shared by the tests and the benchmark (`bench/run.py`): throwaway
PostgreSQL databases (`databases`), the app served by gunicorn on a loopback port
(`live_server`), hostile and real text for the extractor (`hostile`) and sample import files
(`samples`). Never imported by the application itself."""
