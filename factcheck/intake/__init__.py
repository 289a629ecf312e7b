"""Intake: fetching web pages and feeds safely (`fetch`), reducing them to articles (`page`),
and the units of work background jobs run (`runs`). `fetch` and `page` use no Flask and no
database."""
