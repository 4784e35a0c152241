#include "http/client_address.hpp"

#include <gtest/gtest.h>

namespace pratu::http {
namespace {

TrustedProxies proxies(std::string_view list) {
  auto parsed = TrustedProxies::parse(list);
  EXPECT_TRUE(parsed) << list;
  return parsed ? *parsed : TrustedProxies{};
}

TEST(TrustedProxies, MatchesIpv4AndIpv6Networks) {
  const auto trusted = proxies("10.0.0.0/8, 192.168.1.7 2001:db8::/32,::1");
  EXPECT_TRUE(trusted.contains("10.255.0.1"));
  EXPECT_TRUE(trusted.contains("192.168.1.7"));
  EXPECT_FALSE(trusted.contains("192.168.1.8"));
  EXPECT_TRUE(trusted.contains("2001:db8:ffff::1"));
  EXPECT_FALSE(trusted.contains("2001:db9::1"));
  EXPECT_TRUE(trusted.contains("::1"));
  EXPECT_TRUE(trusted.contains("::ffff:10.1.1.1"));  // an IPv4 peer on a dual-stack socket
  EXPECT_FALSE(trusted.contains("11.0.0.1"));
  EXPECT_FALSE(trusted.contains("not an address"));
}

TEST(TrustedProxies, ANetworkIsMaskedToItsPrefix) {
  EXPECT_TRUE(proxies("10.1.2.3/16").contains("10.1.200.200"));
  EXPECT_TRUE(proxies("0.0.0.0/0").contains("203.0.113.1"));
  EXPECT_FALSE(proxies("0.0.0.0/0").contains("2001:db8::1"));
  EXPECT_TRUE(proxies("2001:db8:1:2::/63").contains("2001:db8:1:3::9"));
  EXPECT_FALSE(proxies("2001:db8:1:2::/63").contains("2001:db8:1:4::9"));
}

TEST(TrustedProxies, EmptyTrustsNoOne) {
  EXPECT_TRUE(proxies("").empty());
  EXPECT_TRUE(proxies(" , ").empty());
  EXPECT_FALSE(proxies("").contains("127.0.0.1"));
}

TEST(TrustedProxies, RefusesWhatIsNotAnAddressOrNetwork) {
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/", "10.0.0.0/x",
                          "example.org", "10.0.0.0/8/8", "1.2.3.4:80"}) {
    auto parsed = TrustedProxies::parse(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().detail.find(bad), std::string::npos);
  }
}

TEST(ClientAddress, IsThePeerUnlessThePeerIsATrustedProxy) {
  EXPECT_EQ(client_address("203.0.113.5", "198.51.100.1", proxies("")), "203.0.113.5");
  EXPECT_EQ(client_address("203.0.113.5", "198.51.100.1", proxies("10.0.0.0/8")), "203.0.113.5");
  EXPECT_EQ(client_address("10.0.0.2", "198.51.100.1", proxies("10.0.0.0/8")), "198.51.100.1");
}

TEST(ClientAddress, IsTheRightMostEntryNoTrustedProxyAdded) {
  const auto trusted = proxies("10.0.0.0/8, 2001:db8::/32");
  EXPECT_EQ(client_address("10.0.0.2", "1.1.1.1, 198.51.100.1, 10.9.9.9", trusted), "198.51.100.1");
  EXPECT_EQ(client_address("10.0.0.2", " 2001:db9::7 ,2001:db8::1", trusted), "2001:db9::7");
  EXPECT_EQ(client_address("::ffff:10.0.0.2", "[2001:db9::7]", trusted), "2001:db9::7");
}

TEST(ClientAddress, StopsAtTheLastTrustedHopWhenAnEntryIsNoAddress) {
  const auto trusted = proxies("10.0.0.0/8");
  EXPECT_EQ(client_address("10.0.0.2", "198.51.100.1, garbage", trusted), "10.0.0.2");
  EXPECT_EQ(client_address("10.0.0.2", "garbage, 10.0.0.3", trusted), "10.0.0.3");
  EXPECT_EQ(client_address("10.0.0.2", "", trusted), "10.0.0.2");
  EXPECT_EQ(client_address("10.0.0.2", ",,", trusted), "10.0.0.2");
  EXPECT_EQ(client_address("10.0.0.2", "10.0.0.4, 10.0.0.3", trusted), "10.0.0.4");
}

TEST(AddressForLog, TruncatesIpv4To24AndIpv6To48) {
  EXPECT_EQ(address_for_log("203.0.113.77", AddressLogging::truncated), "203.0.113.0");
  EXPECT_EQ(address_for_log("2001:db8:abcd:1234::1", AddressLogging::truncated), "2001:db8:abcd::");
  EXPECT_EQ(address_for_log("::ffff:203.0.113.77", AddressLogging::truncated), "203.0.113.0");
  EXPECT_EQ(address_for_log("203.0.113.77", AddressLogging::full), "203.0.113.77");
  EXPECT_EQ(address_for_log("203.0.113.77", AddressLogging::none), "");
  // The thread keeps its last answer: asked again, in another way or for another address.
  EXPECT_EQ(address_for_log("203.0.113.77", AddressLogging::truncated), "203.0.113.0");
  EXPECT_EQ(address_for_log("203.0.113.77", AddressLogging::truncated), "203.0.113.0");
  EXPECT_EQ(address_for_log("203.0.113.77", AddressLogging::full), "203.0.113.77");
  EXPECT_EQ(address_for_log("198.51.100.9", AddressLogging::full), "198.51.100.9");
  EXPECT_EQ(address_for_log("not an address", AddressLogging::full), "");
  EXPECT_EQ(address_for_log("", AddressLogging::full), "");
}

}  // namespace
}  // namespace pratu::http
