# Bills show their Thai QR code drawn by the pdf layer (qr_image); the bank simulator speaks
# HTTP through libcurl.
target_link_libraries(pratu_payments PUBLIC pratu_pdf)
find_package(CURL REQUIRED)
target_link_libraries(pratu_payments PUBLIC CURL::libcurl)
