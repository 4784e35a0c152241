#include "common/xml_text.hpp"

#include <gtest/gtest.h>

namespace pratu {
namespace {

TEST(XmlEscaped, EscapesMarkupInTextAndInEitherQuote) {
  EXPECT_EQ(xml_escaped(R"(a<b>&"c"'d')"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(xml_escaped("บริษัท ตัวอย่าง จำกัด"), "บริษัท ตัวอย่าง จำกัด");
}

TEST(XmlEscaped, DropsTheControlCharactersXmlForbidsAndKeepsLineBreaksAndTabs) {
  EXPECT_EQ(xml_escaped(std::string("a\x01\x08z\x1f", 5)), "az");
  EXPECT_EQ(xml_escaped("a\tb\nc\rd"), "a\tb\nc\rd");
}

}  // namespace
}  // namespace pratu
