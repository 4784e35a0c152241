#include "app/metrics_access.hpp"

#include <gtest/gtest.h>

namespace pratu::app {
namespace {

web::Request from(std::string address, std::string authorization = {}) {
  web::Request request;
  request.remote_address = std::move(address);
  if (!authorization.empty())
    request.headers.emplace_back("Authorization", std::move(authorization));
  return request;
}

TEST(MetricsAccess, WithoutATokenOnlyThisMachineMayRead) {
  for (const char* local : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1",
                            "::FFFF:127.0.0.1", "0:0:0:0:0:0:0:1"}) {
    EXPECT_TRUE(metrics_allowed(from(local), "")) << local;
  }
  for (const char* remote :
       {"10.0.0.1", "192.168.1.20", "128.0.0.1", "::2", "::ffff:10.0.0.1", "127.0.0.1.evil",
        "127..0.1x", "127..0.1", "127.256.0.1", "", "localhost", "::ffff:128.0.0.1"}) {
    EXPECT_FALSE(metrics_allowed(from(remote), "")) << remote;
  }
}

TEST(MetricsAccess, WithATokenAnyAddressMayReadWithIt) {
  const std::string token = "s3cret-scrape-token";
  EXPECT_TRUE(metrics_allowed(from("10.0.0.1", "Bearer s3cret-scrape-token"), token));
  EXPECT_TRUE(metrics_allowed(from("10.0.0.1", "bearer s3cret-scrape-token"), token));
  EXPECT_FALSE(metrics_allowed(from("10.0.0.1", "Bearer s3cret-scrape-tokem"), token));
  EXPECT_FALSE(metrics_allowed(from("10.0.0.1", "Bearer "), token));
  EXPECT_FALSE(metrics_allowed(from("10.0.0.1", "Basic czNjcmV0"), token));
  EXPECT_FALSE(metrics_allowed(from("10.0.0.1"), token));
  // Once a token is set, being local is not enough.
  EXPECT_FALSE(metrics_allowed(from("127.0.0.1"), token));
}

}  // namespace
}  // namespace pratu::app
