/// The DER writer against X.690's examples and OpenSSL's own reading of what it writes.
#include "crypto/der.hpp"

#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/objects.h>

#include <stdexcept>

#include "crypto/digest.hpp"

namespace pratu::crypto::der {
namespace {

std::string hex(const std::string& bytes) { return to_hex(bytes); }

// The dotted text OpenSSL reads back from an encoded OBJECT IDENTIFIER.
std::string openssl_reads_oid(const std::string& encoded) {
  const auto* p = reinterpret_cast<const unsigned char*>(encoded.data());
  ASN1_OBJECT* object = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(encoded.size()));
  if (object == nullptr) return "unreadable";
  char text[128] = "";
  OBJ_obj2txt(text, sizeof text, object, 1);
  ASN1_OBJECT_free(object);
  return text;
}

TEST(Der, EncodesObjectIdentifiersAsOpenSslReadsThem) {
  EXPECT_EQ(hex(oid("1.2.840.113549.1.7.2")), "06092a864886f70d010702");
  EXPECT_EQ(hex(oid("2.16.840.1.101.3.4.2.1")), "0609608648016503040201");
  for (const char* dotted : {"1.2.840.113549.1.9.16.2.47", "1.2.840.10045.4.3.2", "2.999.1.3161.1",
                             "1.3.6.1.4.1.311.10.3.12", "0.0", "2.100.3"}) {
    EXPECT_EQ(openssl_reads_oid(oid(dotted)), dotted);
  }
}

TEST(Der, RefusesTextThatIsNoObjectIdentifier) {
  for (const char* bad : {"", "1", "1.", ".1.2", "1..2", "3.1", "1.40", "1.2.x", "1.2.-3"}) {
    EXPECT_THROW(oid(bad), std::invalid_argument) << bad;
  }
}

TEST(Der, WritesShortAndLongLengths) {
  EXPECT_EQ(hex(octet_string("")), "0400");
  EXPECT_EQ(hex(octet_string(std::string(127, 'a'))).substr(0, 4), "047f");
  EXPECT_EQ(hex(octet_string(std::string(128, 'a'))).substr(0, 6), "048180");
  EXPECT_EQ(hex(octet_string(std::string(200, 'a'))).substr(0, 6), "0481c8");
  EXPECT_EQ(hex(octet_string(std::string(300, 'a'))).substr(0, 8), "0482012c");
  EXPECT_EQ(octet_string(std::string(70000, 'a')).size(), 70000u + 5);
}

TEST(Der, WritesIntegersInTwosComplementWithoutNeedlessOctets) {
  EXPECT_EQ(hex(integer(0)), "020100");
  EXPECT_EQ(hex(integer(1)), "020101");
  EXPECT_EQ(hex(integer(127)), "02017f");
  EXPECT_EQ(hex(integer(128)), "02020080");
  EXPECT_EQ(hex(integer(256)), "02020100");
  EXPECT_EQ(hex(unsigned_integer(std::string("\x00\x00\x80\x01", 4))), "0203008001");
  EXPECT_EQ(hex(unsigned_integer(std::string("\x00", 1))), "020100");
}

TEST(Der, SortsASetOfByItsEncodings) {
  EXPECT_EQ(hex(set_of({integer(2), integer(1), integer(256)})), "310a02010102010202020100");
  EXPECT_EQ(hex(set_of_content({octet_string("b"), octet_string("a")})), "040161040162");
  EXPECT_EQ(hex(sequence({integer(2), integer(1)})), "3006020102020101");
}

TEST(Der, WritesContextTagsAndTheSmallTypes) {
  EXPECT_EQ(hex(explicit_tag(0, integer(1))), "a003020101");
  EXPECT_EQ(hex(implicit_constructed(1, integer(1))), "a103020101");
  EXPECT_EQ(hex(boolean(true)), "0101ff");
  EXPECT_EQ(hex(boolean(false)), "010100");
  EXPECT_EQ(hex(null()), "0500");
  EXPECT_THROW(explicit_tag(31, ""), std::invalid_argument);
}

}  // namespace
}  // namespace pratu::crypto::der
