/// Pagination and page numbers, read back from the drawn pages with pdftotext and pdfinfo.
#include "pdf/page_renderer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

// Fontconfig keeps the patterns Pango asks it for until the process ends, and Pango's font map
// lives as long as its thread; LeakSanitizer (the dev preset) would report them at exit. Memory
// does not grow from one document to the next.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace pratu::pdf {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// The text pdftotext reads on `page` of `pdf`, in content order.
std::string page_text(const std::string& pdf, int page) {
  test::TempDir dir;
  const auto file = dir.write("pages.pdf", pdf);
  const auto n = std::to_string(page);
  return test::run_command(
             "pdftotext -raw -f " + n + " -l " + n + " " + test::shell_quoted(file) + " -",
             test::Stderr::dropped)
      .output;
}

Layout filler(int paragraphs) {
  Layout layout;
  for (int i = 0; i < paragraphs; ++i)
    layout.blocks.push_back(Paragraph{"ย่อหน้าที่ " + std::to_string(i + 1)});
  return layout;
}

TEST(PageRenderer, FindsTheDocumentFont) {
  auto fonts = check_document_fonts();
  EXPECT_TRUE(fonts) << (fonts ? "" : fonts.error().detail);
}

TEST(PageRenderer, DrawsOnePageForLittleAndMoreForMuch) {
  auto empty = draw_pages(Layout{}, "th");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->page_count, 1);

  auto much = draw_pages(filler(80), "th");
  ASSERT_TRUE(much);
  EXPECT_GT(much->page_count, 2);
  test::TempDir dir;
  auto info = test::run_command("pdfinfo " + test::shell_quoted(dir.write("much.pdf", much->pdf)));
  EXPECT_THAT(info.output,
              MatchesRegex("(.|\n)*\nPages: +" + std::to_string(much->page_count) + "\n(.|\n)*"));
}

TEST(PageRenderer, KeepsAHeadingWithWhatFollowsIt) {
  // The heading lands 3 mm lower each time, so on one of them it would be the page's last line.
  for (double space_mm = 0; space_mm <= 45; space_mm += 3) {
    auto layout = filler(20);
    layout.blocks.push_back(Space{space_mm});
    layout.blocks.push_back(Subheading{"HEADING"});
    layout.blocks.push_back(Paragraph{"FOLLOWS"});
    auto drawn = draw_pages(layout, "th");
    ASSERT_TRUE(drawn);
    for (int page = 1; page <= drawn->page_count; ++page) {
      const auto text = page_text(drawn->pdf, page);
      EXPECT_EQ(text.find("HEADING") != std::string::npos,
                text.find("FOLLOWS") != std::string::npos)
          << space_mm << " mm, page " << page;
    }
  }
}

TEST(PageRenderer, NumbersPagesInTheLayoutsNumerals) {
  auto layout = filler(40);
  layout.header.right = "{page}/{pages}";
  layout.numerals = Numerals::thai;
  auto drawn = draw_pages(layout, "th");
  ASSERT_TRUE(drawn);
  ASSERT_EQ(drawn->page_count, 2) << "25 one-line paragraphs to a page";
  EXPECT_THAT(page_text(drawn->pdf, 1), HasSubstr("๑/๒"));
  EXPECT_THAT(page_text(drawn->pdf, 2), HasSubstr("๒/๒"));

  layout.numerals = Numerals::arabic;
  layout.blocks.push_back(NumberedList{{"แรก", "สอง"}});
  auto arabic = draw_pages(layout, "th");
  ASSERT_TRUE(arabic);
  const auto last = page_text(arabic->pdf, arabic->page_count);
  EXPECT_THAT(last, HasSubstr("2/2"));
  EXPECT_THAT(last, HasSubstr("1. แรก"));
  EXPECT_THAT(last, HasSubstr("2. สอง"));
  EXPECT_THAT(last, Not(HasSubstr("{page}")));
}

TEST(PageRenderer, RefusesMarginsThatLeaveNoRoom) {
  Layout layout;
  layout.margins.left_mm = 120;
  layout.margins.right_mm = 100;
  EXPECT_FALSE(draw_pages(layout, "th"));
}

}  // namespace
}  // namespace pratu::pdf
