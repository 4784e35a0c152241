/// Code 128 barcodes: symbols checked against published examples, pictures read back by zbarimg.
#include "pdf/barcode128.hpp"

#include <cairo.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace pratu::pdf {
namespace {

using test::run_command;
using test::shell_quoted;
using test::Stderr;
using test::TempDir;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// vector 11 of standards.md §1.6: the same bill as a Thai QR payload.
constexpr std::string_view kBotText = "|099400016550100\r123456789012\r670429\r364922";

constexpr int kStartA = 103;
constexpr int kStartB = 104;
constexpr int kStartC = 105;
constexpr int kShift = 98;
constexpr int kCodeC = 99;
constexpr int kCodeB = 100;
constexpr int kCodeA = 101;
constexpr int kStop = 106;

// The symbols of `text` between the start and the check value, after checking that they end in
// the right check value and the stop.
std::vector<int> data_symbols(std::string_view text) {
  auto symbols = code128_symbols(text);
  if (!symbols) {
    ADD_FAILURE() << text << ": " << symbols.error().detail;
    return {};
  }
  EXPECT_GE(symbols->size(), 3u);
  if (symbols->size() < 3) return {};
  EXPECT_EQ(symbols->back(), kStop);
  std::vector<int> checked(symbols->begin(), symbols->end() - 2);
  EXPECT_EQ((*symbols)[symbols->size() - 2], code128_check_value(checked)) << text;
  return checked;
}

bool has_tool(const std::string& name) {
  return run_command("command -v " + name, Stderr::dropped).exit_code == 0;
}

// What zbarimg reads in the image at `file`, with `options`, without the line feed it adds.
test::CommandOutput zbar_read(const std::filesystem::path& file, const std::string& options = "") {
  auto read =
      run_command("zbarimg --raw -q " + options + " " + shell_quoted(file), Stderr::dropped);
  if (!read.output.empty() && read.output.back() == '\n') read.output.pop_back();
  return read;
}

const std::string kCode128Only = "-Sdisable -Scode128.enable";

using SurfacePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;

// Appends what Cairo's PNG writer hands over to the std::string in `closure`.
cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The SVG's bars painted black on white with Cairo, as a PNG; empty when it is not as
// code128_svg() draws: a white background of the SVG's size and full-height bars.
std::string rasterised(const std::string& svg) {
  std::smatch size;
  if (!std::regex_search(svg, size, std::regex("^<svg [^>]*width=\"(\\d+)\" height=\"(\\d+)\"")))
    return {};
  const int width = std::stoi(size[1]);
  const int height = std::stoi(size[2]);
  if (svg.find("<rect width=\"" + size[1].str() + "\" height=\"" + size[2].str() +
               "\" fill=\"#fff\"/>") == std::string::npos)
    return {};
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height),
                     cairo_surface_destroy);
  cairo_t* cr = cairo_create(surface.get());
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  const std::regex bar("<rect x=\"(\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\"/>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator();
       ++it) {
    if (std::stoi((*it)[3]) != height) return {};
    cairo_rectangle(cr, std::stoi((*it)[1]), 0, std::stoi((*it)[2]), height);
  }
  cairo_fill(cr);
  cairo_destroy(cr);
  std::string png;
  cairo_surface_write_to_png_stream(surface.get(), append_png, &png);
  return png;
}

// A Thai bill's BOT barcode text, as payments::bot_barcode_text() writes it.
std::string bot_text(std::mt19937_64& random) {
  auto digits = [&random](int count) {
    std::string out;
    std::uniform_int_distribution<int> digit(0, 9);
    for (int i = 0; i < count; ++i) out += static_cast<char>('0' + digit(random));
    return out;
  };
  std::uniform_int_distribution<std::int64_t> satang(1, 1'000'000'000);
  return "|" + digits(15) + "\r" + digits(12) + "\r" + digits(6) + "\r" +
         std::to_string(satang(random));
}

TEST(Code128CheckValue, MatchesPublishedExamples) {
  // Wikipedia's "PJJ123C" in set A: 878 mod 103.
  EXPECT_EQ(code128_check_value(std::vector<int>{kStartA, 48, 42, 42, 17, 18, 19, 35}), 54);
  // barcodeisland.com's "HI345678": A, then C for the digits; 1406 mod 103.
  EXPECT_EQ(code128_check_value(std::vector<int>{kStartA, 40, 41, kCodeC, 34, 56, 78}), 67);
  // barcoderesource.com's "ABCDEF" in A, "abcdef" in B and "345678" in C.
  EXPECT_EQ(code128_check_value(std::vector<int>{kStartA, 33, 34, 35, 36, 37, 38}), 42);
  EXPECT_EQ(code128_check_value(std::vector<int>{kStartB, 65, 66, 67, 68, 69, 70}), 97);
  EXPECT_EQ(code128_check_value(std::vector<int>{kStartC, 34, 56, 78}), 73);
}

TEST(Code128Symbols, EncodesTextInSetBWithCheckValueAndStop) {
  // "PJJ123C" fits A and B alike; B is chosen, so the sum is Wikipedia's plus one: 879 mod 103.
  auto symbols = code128_symbols("PJJ123C");
  ASSERT_TRUE(symbols);
  EXPECT_THAT(*symbols, ElementsAre(kStartB, 48, 42, 42, 17, 18, 19, 35, 55, kStop));
  auto mixed = code128_symbols("HI345678");
  ASSERT_TRUE(mixed);
  EXPECT_THAT(*mixed, ElementsAre(kStartB, 40, 41, kCodeC, 34, 56, 78, 68, kStop));
}

TEST(Code128Symbols, EncodesDigitsInSetC) {
  EXPECT_THAT(data_symbols("12"), ElementsAre(kStartC, 12));
  EXPECT_THAT(data_symbols("1234"), ElementsAre(kStartC, 12, 34));
  EXPECT_THAT(data_symbols("00998877665544332211"),
              ElementsAre(kStartC, 0, 99, 88, 77, 66, 55, 44, 33, 22, 11));
}

TEST(Code128Symbols, EndsAnOddCountOfDigitsInSetB) {
  EXPECT_THAT(data_symbols("1"), ElementsAre(kStartB, 17));
  // Three digits take three symbols in B, as many as 12 then B 3: B needs no switch.
  EXPECT_THAT(data_symbols("123"), ElementsAre(kStartB, 17, 18, 19));
  EXPECT_THAT(data_symbols("12345"), ElementsAre(kStartC, 12, 34, kCodeB, 21));
  EXPECT_THAT(data_symbols("1234567"), ElementsAre(kStartC, 12, 34, 56, kCodeB, 23));
}

TEST(Code128Symbols, SwitchesToSetCOnlyWhenItIsShorter) {
  EXPECT_THAT(data_symbols("ab1234"), ElementsAre(kStartB, 65, 66, kCodeC, 12, 34));
  EXPECT_THAT(data_symbols("AB123456CD"),
              ElementsAre(kStartB, 33, 34, kCodeC, 12, 34, 56, kCodeB, 35, 36));
  // Four or five digits between letters cost as much in C, with its two switches, as in B.
  EXPECT_THAT(data_symbols("AB1234CD"), ElementsAre(kStartB, 33, 34, 17, 18, 19, 20, 35, 36));
  EXPECT_THAT(data_symbols("AB12345CD"), ElementsAre(kStartB, 33, 34, 17, 18, 19, 20, 21, 35, 36));
  // An odd run keeps its first digit in B, as ISO/IEC 15417 annex E does.
  EXPECT_THAT(data_symbols("AB1234567CD"),
              ElementsAre(kStartB, 33, 34, 17, kCodeC, 23, 45, 67, kCodeB, 35, 36));
}

TEST(Code128Symbols, EncodesControlCharactersInSetA) {
  EXPECT_THAT(data_symbols("\r"), ElementsAre(kStartA, 77));
  EXPECT_THAT(data_symbols("\t\r\x1f"), ElementsAre(kStartA, 73, 77, 95));
  // A lone control character among lower case text is shifted; a run of them switches.
  EXPECT_THAT(data_symbols("a\rb"), ElementsAre(kStartB, 65, kShift, 77, 66));
  EXPECT_THAT(data_symbols("\r\rab"), ElementsAre(kStartA, 77, 77, kCodeB, 65, 66));
  // As short in A with a shift for | as in B with a shift for \r: B wins the tie.
  EXPECT_THAT(data_symbols("\rA|"), ElementsAre(kStartB, kShift, 77, 33, 92));
  EXPECT_THAT(data_symbols("12\r34"), ElementsAre(kStartA, 17, 18, 77, 19, 20));
  EXPECT_THAT(data_symbols("1234\r5678"), ElementsAre(kStartC, 12, 34, kCodeA, 77, kCodeC, 56, 78));
}

TEST(Code128Symbols, EncodesTheBotBillTextShortly) {
  // | in B, the odd biller id's first digit too, then pairs; each \r by a switch to A and back.
  EXPECT_THAT(data_symbols(kBotText),
              ElementsAreArray({kStartB, 92, 16,     kCodeC, 99,     40, 0,      16, 55, 1,      0,
                                kCodeA,  77, kCodeC, 12,     34,     56, 78,     90, 12, kCodeA, 77,
                                kCodeC,  67, 4,      29,     kCodeA, 77, kCodeC, 36, 49, 22}));
}

TEST(Code128Symbols, RefusesEmptyTextAndBytesAbove127) {
  EXPECT_FALSE(code128_symbols(""));
  EXPECT_FALSE(code128_symbols("\x80"));
  EXPECT_FALSE(code128_symbols("ABC\xff"));
  EXPECT_FALSE(code128_symbols("บิล"));  // UTF-8: bytes above 127
  EXPECT_TRUE(code128_symbols(std::string_view("\0\x7f", 2)));
  EXPECT_FALSE(code128_svg("", "barcode"));
  EXPECT_FALSE(code128_png("é"));
}

TEST(Code128Svg, IsLabelledBarsOnWhiteWithQuietZones) {
  auto svg = code128_svg("PJJ123C", "Barcode to pay bill <INV-1> \"now\" & then", 3, 50);
  ASSERT_TRUE(svg);
  // 9 symbols of 11 modules, a stop of 13 and 10 modules each side: 132 modules of 3 pixels.
  EXPECT_THAT(*svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"396\" "
                               "height=\"50\" viewBox=\"0 0 396 50\" role=\"img\" "
                               "aria-label=\"Barcode to pay bill &lt;INV-1&gt; &quot;now&quot; "
                               "&amp; then\">"));
  EXPECT_THAT(*svg, HasSubstr("<rect width=\"396\" height=\"50\" fill=\"#fff\"/>"));
  EXPECT_THAT(*svg, HasSubstr("shape-rendering=\"crispEdges\""));
  EXPECT_THAT(*svg, Not(HasSubstr("<text")));
  EXPECT_THAT(*svg, Not(HasSubstr("PJJ")));
  // Start B (211214) begins after the quiet zone: a bar of 2 modules at module 10.
  EXPECT_THAT(*svg, HasSubstr("><rect x=\"30\" width=\"6\" height=\"50\"/>"));
  // Three bars per symbol, four in the stop; the stop's last bar ends 10 modules from the edge.
  std::size_t rects = 0;
  for (auto at = svg->find("<rect x="); at != std::string::npos; at = svg->find("<rect x=", at + 1))
    ++rects;
  EXPECT_EQ(rects, 9u * 3 + 4);
  EXPECT_THAT(*svg, HasSubstr("<rect x=\"360\" width=\"6\" height=\"50\"/></g></svg>"));
}

TEST(Code128Svg, RefusesSizesOutOfRange) {
  EXPECT_FALSE(code128_svg("A", "barcode", 0, 60));
  EXPECT_FALSE(code128_svg("A", "barcode", 101, 60));
  EXPECT_FALSE(code128_svg("A", "barcode", 2, 0));
  EXPECT_FALSE(code128_svg("A", "barcode", 2, 1001));
  EXPECT_FALSE(code128_png("A", 0, 60));
  EXPECT_FALSE(code128_png("A", 2, 0));
}

TEST(Code128Svg, IsWellFormedXml) {
  if (!has_tool("xmllint")) GTEST_SKIP() << "xmllint is not installed";
  auto svg = code128_svg(kBotText, "บาร์โค้ดชำระเงิน 'ค่าธรรมเนียม' <1> & \"2\"");
  ASSERT_TRUE(svg);
  TempDir dir;
  auto lint = run_command("xmllint --noout " + shell_quoted(dir.write("barcode.svg", *svg)));
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
}

TEST(Code128Png, IsTheBarsWithQuietZones) {
  auto png = code128_png("PJJ123C", 2, 40);
  ASSERT_TRUE(png) << png.error().detail;
  EXPECT_THAT(*png, StartsWith(std::string("\x89PNG\r\n\x1a\n", 8)));
  auto svg = code128_svg("PJJ123C", "barcode", 2, 40);
  ASSERT_TRUE(svg);
  // The same picture as the SVG's, pixel for pixel.
  EXPECT_EQ(*png, rasterised(*svg));
}

TEST(Code128Png, IsReadByZbarExactly) {
  if (!has_tool("zbarimg")) GTEST_SKIP() << "zbarimg is missing: run bin/install-deps --test";
  std::string printable;
  for (char c = ' '; c < 127; ++c) printable += c;
  std::string controls;
  for (char c = 1; c < 32; ++c) controls += c;
  std::string pairs;
  for (int i = 0; i < 100; ++i) pairs += std::to_string(100 + i).substr(1);
  TempDir dir;
  // Every symbol value in each set, shifts and switches between all three.
  for (const std::string& text :
       {printable, controls, pairs, std::string("a\rb\tc|\x1f~"), std::string("PJJ123C"),
        std::string("12345"), std::string("x"), std::string(kBotText)}) {
    auto png = code128_png(text);
    ASSERT_TRUE(png) << png.error().detail;
    const auto file = dir.write("barcode.png", *png);
    auto read = zbar_read(file, kCode128Only);
    EXPECT_EQ(read.exit_code, 0) << text;
    EXPECT_EQ(read.output, text);
  }
}

TEST(Code128Png, BotBillTextsRoundTripThroughZbar) {
  if (!has_tool("zbarimg")) GTEST_SKIP() << "zbarimg is missing: run bin/install-deps --test";
  std::mt19937_64 random(20260429);
  TempDir dir;
  for (int bill = 0; bill < 20; ++bill) {
    const auto text = bot_text(random);
    auto png = code128_png(text);
    ASSERT_TRUE(png) << png.error().detail;
    const auto file = dir.write("bill.png", *png);
    for (const std::string& options : {std::string(), kCode128Only}) {
      auto read = zbar_read(file, options);
      EXPECT_EQ(read.exit_code, 0) << text;
      EXPECT_EQ(read.output, text) << options;
    }
  }
}

TEST(Code128Svg, BotBillTextsRoundTripThroughZbar) {
  if (!has_tool("zbarimg")) GTEST_SKIP() << "zbarimg is missing: run bin/install-deps --test";
  std::mt19937_64 random(670429);
  TempDir dir;
  for (int bill = 0; bill < 20; ++bill) {
    const auto text = bot_text(random);
    auto svg = code128_svg(text, "barcode", 2, 30);
    ASSERT_TRUE(svg);
    const auto png = rasterised(*svg);
    ASSERT_FALSE(png.empty()) << *svg;
    auto read = zbar_read(dir.write("bill.png", png), kCode128Only);
    EXPECT_EQ(read.exit_code, 0) << text;
    EXPECT_EQ(read.output, text);
  }
}

}  // namespace
}  // namespace pratu::pdf
