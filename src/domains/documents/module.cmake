# Documents are drawn and signed by the pdf layer (docs/adr/0025).
target_link_libraries(pratu_documents PUBLIC pratu_pdf)
# Timestamps from an RFC 3161 authority over HTTP (http_timestamp_client).
find_package(CURL REQUIRED)
target_link_libraries(pratu_documents PUBLIC CURL::libcurl)
