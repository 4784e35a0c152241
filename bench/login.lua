-- wrk script: every request logs in through the login form, as a person does, with the
-- anonymous CSRF cookie and the token of a login page fetched beforehand (bench/run.sh puts
-- them and the demo applicant's credentials in BENCH_LOGIN_COOKIE and BENCH_LOGIN_BODY).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_LOGIN_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_LOGIN_COOKIE")
wrk.headers["Accept-Language"] = "th"
