# SMTP (and SMTPS, STARTTLS, AUTH) through libcurl: docs/adr/0018.
find_package(CURL REQUIRED)
target_link_libraries(pratu_notifications PUBLIC CURL::libcurl)
