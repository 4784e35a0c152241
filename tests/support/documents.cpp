#include "support/documents.hpp"

#include <gtest/gtest.h>

#include "support/applicants.hpp"
#include "support/http_client.hpp"

namespace pratu::test {

std::string signed_file(std::uint16_t port, const std::string& token, const std::string& number) {
  const std::string url = "/api/v1/documents/" + number + "/file";
  auto file = bearer_request(port, token, "GET", url);
  EXPECT_EQ(file.status, 200) << url;
  EXPECT_EQ(file.header("Content-Type"), "application/pdf") << url;
  return file.body;
}

boost::json::object verify_pdf(std::uint16_t port, const std::string& pdf) {
  HttpClient anyone(port);
  auto answer =
      anyone.request("POST", "/api/v1/verify", pdf, {{"Content-Type", "application/pdf"}});
  EXPECT_EQ(answer.status, 200) << answer.body;
  return json_object(answer);
}

}  // namespace pratu::test
