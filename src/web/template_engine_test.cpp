#include "web/template_engine.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace pratu::web {
namespace {

std::string render(std::string_view source, std::string_view model_json,
                   const TemplateSet* set = nullptr) {
  auto tmpl = Template::compile(source, "test");
  EXPECT_TRUE(tmpl.has_value()) << (tmpl ? "" : tmpl.error().detail);
  auto model = boost::json::parse(model_json);
  std::string out;
  tmpl->render({&model}, set, out);
  return out;
}

TEST(TemplateEngine, EscapesVariablesByDefault) {
  EXPECT_EQ(render("<p>{{name}}</p>", R"({"name":"<b>\"x\" & 'y'</b>"})"),
            "<p>&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;</p>");
}

TEST(TemplateEngine, TripleAndAmpersandAreRaw) {
  EXPECT_EQ(render("{{{html}}}|{{& html}}", R"({"html":"<i>x</i>"})"), "<i>x</i>|<i>x</i>");
}

TEST(TemplateEngine, ResolvesDottedNamesThroughTheStack) {
  EXPECT_EQ(render("{{#items}}{{name}}-{{t.sep}}{{/items}}",
                   R"({"t":{"sep":"ไทย"},"items":[{"name":"a"},{"name":"b"}]})"),
            "a-ไทยb-ไทย");
}

TEST(TemplateEngine, InvertedSectionsRenderForFalsyValues) {
  EXPECT_EQ(render("{{^items}}none{{/items}}{{^missing}}!{{/missing}}{{^s}}empty{{/s}}",
                   R"({"items":[],"s":""})"),
            "none!empty");
}

TEST(TemplateEngine, ObjectSectionPushesContext) {
  EXPECT_EQ(render("{{#user}}{{display_name}} {{role}}{{/user}}",
                   R"({"user":{"display_name":"สมชาย","role":"applicant"}})"),
            "สมชาย applicant");
}

TEST(TemplateEngine, ImplicitIteratorAndNumbers) {
  EXPECT_EQ(render("{{#xs}}[{{.}}]{{/xs}} {{n}}", R"({"xs":[1,"a"],"n":42})"), "[1][a] 42");
}

TEST(TemplateEngine, NumericSegmentSelectsAnArrayElement) {
  EXPECT_EQ(render("{{#xs.0}}has{{/xs.0}}{{^ys.0}}none{{/ys.0}}{{xs.1.n}}",
                   R"({"xs":[{"n":1},{"n":2}],"ys":[]})"),
            "hasnone2");
}

TEST(TemplateEngine, CommentsRenderNothing) { EXPECT_EQ(render("a{{! note }}b", "{}"), "ab"); }

TEST(TemplateEngine, PartialsSeeTheCurrentContext) {
  TemplateSet set;
  set.add("item", *Template::compile("<li>{{name}}</li>", "item"));
  EXPECT_EQ(
      render("<ul>{{#xs}}{{> item}}{{/xs}}</ul>", R"({"xs":[{"name":"a"},{"name":"b"}]})", &set),
      "<ul><li>a</li><li>b</li></ul>");
}

TEST(TemplateEngine, SelfIncludingPartialIsBounded) {
  TemplateSet set;
  set.add("loop", *Template::compile("x{{> loop}}", "loop"));
  auto out = render("{{> loop}}", "{}", &set);
  EXPECT_LT(out.size(), 100u);
  EXPECT_FALSE(out.empty());
}

TEST(TemplateEngine, EscapesEveryMarkupCharacterWhereverItFallsInLongText) {
  const std::string thai = "ประตูบริการภาครัฐ";  // three bytes a letter
  for (std::size_t at = 0; at < 40; ++at) {
    for (char special : std::string("&<>\"'")) {
      std::string text = thai + thai;
      text.insert(std::min(at, text.size()), 1, special);
      std::string expected;
      for (char c : text) {
        switch (c) {
          case '&': expected += "&amp;"; break;
          case '<': expected += "&lt;"; break;
          case '>': expected += "&gt;"; break;
          case '"': expected += "&quot;"; break;
          case '\'': expected += "&#39;"; break;
          default: expected += c;
        }
      }
      std::string out;
      append_html_escaped(text, out);
      EXPECT_EQ(out, expected) << "at " << at << " " << special;
    }
  }
}

TEST(TemplateEngine, SpecializingWritesInConstantsAndPartialsAndRendersTheSame) {
  TemplateSet set;
  set.add("item", *Template::compile("<li title=\"{{t.hint}}\">{{name}}</li>", "item"));
  auto page = Template::compile(
      "<h1>{{t.title}}</h1>{{{t.raw}}}{{t.missing}}<ul>{{#xs}}{{> item}}{{/xs}}</ul>", "page");
  ASSERT_TRUE(page);
  auto globals = boost::json::parse(R"({"t":{"title":"A & B","raw":"<b>","hint":"\"x\""}})");
  auto model = boost::json::parse(R"({"xs":[{"name":"a"},{"name":"<b>"}]})");
  std::string general, special;
  page->render({&globals, &model}, &set, general);
  Template specialized = page->specialize(globals.at("t"), "t", &set);
  // Nothing left to look up under `t`, and no partial: the globals are not even needed.
  specialized.render({&model}, nullptr, special);
  EXPECT_EQ(special, general);
  EXPECT_EQ(special,
            "<h1>A &amp; B</h1><b><ul><li title=\"&quot;x&quot;\">a</li>"
            "<li title=\"&quot;x&quot;\">&lt;b&gt;</li></ul>");
}

TEST(TemplateEngine, SplitsAroundATopLevelRawTag) {
  auto layout =
      Template::compile("<main>{{title}}{{{content}}}</main>{{#x}}{{{content}}}{{/x}}", "l");
  ASSERT_TRUE(layout);
  auto parts = layout->split_at("content");
  ASSERT_TRUE(parts);
  auto model = boost::json::parse(R"({"title":"T","x":true,"content":"C"})");
  std::string out;
  parts->first.render({&model}, nullptr, out);
  out += "PAGE";
  parts->second.render({&model}, nullptr, out);
  EXPECT_EQ(out, "<main>TPAGE</main>C");
  EXPECT_FALSE(Template::compile("{{#x}}{{{content}}}{{/x}}", "l")->split_at("content"));
}

TEST(TemplateEngine, ReportsUnbalancedSectionsWithLine) {
  auto unclosed = Template::compile("line1\n{{#a}}x", "page.mustache");
  ASSERT_FALSE(unclosed.has_value());
  EXPECT_NE(unclosed.error().detail.find("page.mustache"), std::string::npos);
  auto mismatched = Template::compile("{{#a}}\n{{/b}}", "page.mustache");
  ASSERT_FALSE(mismatched.has_value());
  EXPECT_NE(mismatched.error().detail.find(":2:"), std::string::npos);
  EXPECT_FALSE(Template::compile("{{=<% %>=}}", "t").has_value());
  EXPECT_FALSE(Template::compile("{{oops", "t").has_value());
}

}  // namespace
}  // namespace pratu::web
