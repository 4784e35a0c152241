// An e-receipt's page and data: the XML checked against its schemas by xmllint, the amounts
// added up, the words on the page, and the page drawn to PDF/A-3 and read back by pdftotext.
#include "domains/documents/receipt_sheet.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "pdf/pdf_a3.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "web/dates.hpp"

// Fontconfig keeps the patterns Pango asks it for until the process ends (see
// src/pdf/page_renderer_test.cpp); LeakSanitizer, in the dev preset, would report them.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace pratu::documents {
namespace {

using test::run_command;
using test::shell_quoted;
using test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kNumber[] = "BMA-2570-001-000042";
constexpr char kVerifyUrl[] = "https://pratu.example.go.th/verify/BMA-2570-001-000042?c=AB12CD34";
constexpr char kSchema[] = PRATU_SOURCE_DIR "/docs/schemas/receipt/receipt-rsm.xsd";
constexpr std::int64_t kPaidAt = 1'796'195'100;  // 2026-12-02 14:05 in Bangkok
constexpr char kTotalInThai[] = "หกร้อยสามสิบบาทถ้วน";

const web::Translations& translations() {
  static const web::Translations t = [] {
    auto loaded = web::Translations::load(PRATU_SOURCE_DIR "/locales");
    if (!loaded) throw std::runtime_error(loaded.error().detail);
    return std::move(*loaded);
  }();
  return t;
}

// A sign permit paid by QR: three signs at 200.00 baht each, and 30.00 baht of stamp duty.
platform::ReceiptContent sign_permit_receipt() {
  platform::ReceiptContent r;
  r.number = kNumber;
  r.fiscal_year = 2570;
  r.book = "001";
  r.agency = "bma";
  r.agency_tax_id = "0994000159102";
  r.service = "sign-permit";
  r.application_id = 7;
  r.application = "app_9f8e7d";
  r.reference = "BMA-SP-2569-000123";
  r.holder_user_id = 3;
  r.payer_name = "นางสาวสมใจ ใจดี";
  r.payer_id = "1101700203451";
  r.bill = "b_4c3b2a19";
  r.ref1 = "690000000421";
  r.ref2 = "691215";
  r.lines.push_back(
      {"sign", "ค่าธรรมเนียมป้าย", "Sign fee", 20000, 3, "ป้าย", "sign", 60000, false, 0});
  r.lines.push_back({"stamp", "ค่าอากรแสตมป์", "Stamp duty", 3000, 1, "", "", 3000, true, 0});
  r.total_satang = 63000;
  r.paid_at = kPaidAt;
  r.source = "bank";
  r.channel = "QR";
  r.bank = "sim";
  r.transaction_id = "TXN-20261202-0001";
  return r;
}

IssuedDocument issued() {
  IssuedDocument d;
  d.number = kNumber;
  d.code = "AB12CD34";
  d.issued_at = kPaidAt + 60;
  d.valid_from = "2026-12-02";
  d.kind = "receipt";
  return d;
}

struct SignPermitReceipt {
  platform::ReceiptContent content = sign_permit_receipt();
  IssuedDocument document = issued();
  ReceiptFacts facts() const {
    return {content,
            document,
            kVerifyUrl,
            {"กรุงเทพมหานคร", "Bangkok Metropolitan Administration"},
            {"ขออนุญาตติดตั้งป้าย", "Sign permit"}};
  }
};

bool has_xmllint() { return run_command("command -v xmllint").exit_code == 0; }

// What xmllint says of `xml` against the receipt's schemas: "" when valid.
std::string schema_errors(const std::string& xml) {
  TempDir dir;
  const auto file = dir.write("pratu-receipt.xml", xml);
  auto lint = run_command("xmllint --noout --nonet --schema " + shell_quoted(kSchema) + " " +
                          shell_quoted(file));
  return lint.exit_code == 0 ? "" : lint.output;
}

// "600.00" in satang, read digit by digit.
std::int64_t satang_of(const std::string& decimal) {
  std::int64_t satang = 0;
  for (char c : decimal)
    if (c >= '0' && c <= '9') satang = satang * 10 + (c - '0');
  return satang;
}

// Every text of the elements named `name` (any prefix) in `xml`.
std::vector<std::string> values_of(const std::string& xml, const std::string& name) {
  std::vector<std::string> out;
  const std::regex element("<[a-z]+:" + name + "(?: [^>]*)?>([^<]*)</");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), element);
       it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

// Every word the layout puts on the page, blocks and running lines, one per line.
std::string layout_text(const pdf::Layout& layout) {
  std::string out = layout.header.left + "\n" + layout.header.right + "\n";
  for (const auto& block : layout.blocks) {
    std::visit(
        [&](const auto& b) {
      using B = std::decay_t<decltype(b)>;
      if constexpr (std::is_same_v<B, pdf::Heading> || std::is_same_v<B, pdf::Subheading> ||
                    std::is_same_v<B, pdf::Paragraph> || std::is_same_v<B, pdf::SmallPrint>) {
        out += b.text + "\n";
      } else if constexpr (std::is_same_v<B, pdf::Fields>) {
        for (const auto& row : b.rows) out += row.label + "\n" + row.value + "\n";
      } else if constexpr (std::is_same_v<B, pdf::NumberedList>) {
        for (const auto& item : b.items) out += item + "\n";
      } else if constexpr (std::is_same_v<B, pdf::SignatureBlock>) {
        for (const auto& line : b.lines) out += line + "\n";
      } else if constexpr (std::is_same_v<B, pdf::QrCode>) {
        for (const auto& line : b.caption) out += line + "\n";
      }
        },
        block);
  }
  return out + layout.footer.left + "\n" + layout.footer.right + "\n";
}

std::string without_whitespace(const std::string& text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out += c;
  return out;
}

TEST(ReceiptXml, IsValidAgainstTheReceiptSchemas) {
  if (!has_xmllint()) GTEST_SKIP() << "xmllint is not installed";
  SignPermitReceipt receipt;
  EXPECT_EQ(schema_errors(receipt_xml(receipt.facts())), "");

  // At the counter, in cash, from someone whose id is not known: the optional parts go.
  receipt.content.source = "cashier";
  receipt.content.book = "002";
  receipt.content.channel = "cash";
  receipt.content.bank.clear();
  receipt.content.transaction_id.clear();
  receipt.content.payer_id.clear();
  receipt.content.payer_name.clear();
  receipt.content.ref2.clear();
  receipt.content.agency_tax_id.clear();
  const auto xml = receipt_xml(receipt.facts());
  EXPECT_EQ(schema_errors(xml), "");
  EXPECT_THAT(xml, HasSubstr("<ram:ID schemeID=\"OTHR\">N/A</ram:ID>"));
  // An agency with no tax ID on file is named by its code.
  EXPECT_THAT(xml, HasSubstr("<ram:ID schemeID=\"OTHR\">bma</ram:ID>"));
  EXPECT_THAT(xml, Not(HasSubstr("pr:Bank>")));
}

TEST(ReceiptXml, SchemasRefuseWhatTheyShould) {
  if (!has_xmllint()) GTEST_SKIP() << "xmllint is not installed";
  const auto xml = receipt_xml(SignPermitReceipt{}.facts());
  auto broken = [&](const std::string& from, const std::string& to) {
    auto copy = xml;
    const auto at = copy.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) copy.replace(at, from.size(), to);
    return schema_errors(copy);
  };
  EXPECT_NE(broken("<ram:GrandTotalAmount>630.00<", "<ram:GrandTotalAmount>630.5<"), "");
  EXPECT_NE(broken("<ram:TypeCode>T01<", "<ram:TypeCode>388<"), "");
  EXPECT_NE(broken("<pr:Source>bank<", "<pr:Source>crypto<"), "");
  EXPECT_NE(broken("+07:00</ram:IssueDateTime>", "</ram:IssueDateTime>"), "");
}

// `receipt` made the replacement, a day after the payment, of receipt 000001 whose payer's name
// was wrong, as the finance officer said in `why`.
void make_replacement(SignPermitReceipt& receipt, const std::string& why) {
  receipt.content.number = "BMA-2570-001-000002";
  receipt.content.issued_at = kPaidAt + 86400;
  receipt.content.replaces = "BMA-2570-001-000001";
  receipt.content.replaces_issued_at = kPaidAt;
  receipt.content.purpose_code = "RCTC01";
  receipt.content.purpose_key = "wrong_name";
  receipt.content.purpose = why;
}

// A replacement names the receipt it replaces and why, as ETDA's receipt does: the purpose
// and its code in the document, the old receipt as a referenced T01; dated when it was made.
TEST(ReceiptXml, AReplacementSaysWhatItReplacesAndWhy) {
  SignPermitReceipt receipt;
  const auto original = receipt_xml(receipt.facts());
  EXPECT_THAT(original, Not(HasSubstr("PurposeCode")));
  EXPECT_THAT(original, Not(HasSubstr("AdditionalReferencedDocument")));
  make_replacement(receipt, "ชื่อสะกดผิด <ต้นฉบับ>");
  const auto xml = receipt_xml(receipt.facts());
  EXPECT_THAT(xml, HasSubstr("<ram:PurposeCode>RCTC01</ram:PurposeCode>"));
  EXPECT_THAT(xml, HasSubstr("<ram:Purpose>ชื่อสะกดผิด &lt;ต้นฉบับ&gt;</ram:Purpose>"));
  EXPECT_THAT(xml, HasSubstr("<ram:IssuerAssignedID>BMA-2570-001-000001</ram:IssuerAssignedID>"));
  EXPECT_THAT(xml, HasSubstr("<ram:ReferenceTypeCode>T01</ram:ReferenceTypeCode>"));
  EXPECT_EQ(values_of(xml, "IssueDateTime").front(), web::iso_date_time(kPaidAt + 86400));
  EXPECT_EQ(values_of(xml, "IssueDateTime").back(), web::iso_date_time(kPaidAt));
  if (!has_xmllint()) GTEST_SKIP() << "xmllint is not installed";
  EXPECT_EQ(schema_errors(xml), "");
  auto copy = xml;
  copy.replace(copy.find(">RCTC01<"), 8, ">RCTC07<");
  EXPECT_NE(schema_errors(copy), "");
}

TEST(ReceiptLayout, AReplacementShowsTheReceiptItReplacesAndWhy) {
  SignPermitReceipt receipt;
  make_replacement(receipt, "ชื่อสะกดผิด");
  const auto text =
      without_whitespace(layout_text(receipt_layout(receipt.facts(), translations())));
  EXPECT_THAT(text, HasSubstr("ออกแทนใบเสร็จรับเงินเลขที่"));
  EXPECT_THAT(text, HasSubstr("BMA-2570-001-000001"));
  EXPECT_THAT(text, HasSubstr("ชื่อผู้ชำระเงินในใบเสร็จเดิมไม่ถูกต้อง"));
  EXPECT_THAT(text, HasSubstr("thepayer'snameonitwaswrong"));
  EXPECT_THAT(text, HasSubstr("ชื่อสะกดผิด"));
}

TEST(ReceiptXml, GrandTotalIsTheSumOfTheLines) {
  const auto xml = receipt_xml(SignPermitReceipt{}.facts());
  const auto lines = values_of(xml, "NetLineTotalAmount");
  ASSERT_EQ(lines, (std::vector<std::string>{"600.00", "30.00"}));
  std::int64_t sum = 0;
  for (const auto& line : lines) sum += satang_of(line);
  EXPECT_EQ(values_of(xml, "GrandTotalAmount"), std::vector<std::string>{"630.00"});
  EXPECT_EQ(values_of(xml, "LineTotalAmount"), std::vector<std::string>{"630.00"});
  EXPECT_EQ(sum, 63000);
  EXPECT_EQ(values_of(xml, "ChargeAmount"), (std::vector<std::string>{"200.00", "30.00"}));
  EXPECT_EQ(values_of(xml, "BilledQuantity"), (std::vector<std::string>{"3", "1"}));
  EXPECT_EQ(values_of(xml, "StampDutyLineID"), std::vector<std::string>{"2"});
}

TEST(ReceiptXml, NamesTheReceiptAndCarriesTheTotalInWords) {
  const auto xml = receipt_xml(SignPermitReceipt{}.facts());
  EXPECT_THAT(xml, HasSubstr("<rsm:Receipt_CrossIndustryInvoice xmlns:rsm=\"" +
                             std::string(kReceiptNamespace) + "\""));
  EXPECT_EQ(values_of(xml, "TypeCode"), std::vector<std::string>{"T01"});
  EXPECT_EQ(values_of(xml, "IssueDateTime"), std::vector<std::string>{"2026-12-02T14:05:00+07:00"});
  EXPECT_THAT(values_of(xml, "ID"), ::testing::Contains(kNumber));
  EXPECT_THAT(xml, Not(HasSubstr("PurposeCode"))) << "an original";
  EXPECT_THAT(xml, HasSubstr("<pr:AmountInWords xml:lang=\"th\">" + std::string(kTotalInThai) +
                             "</pr:AmountInWords>"));
  EXPECT_THAT(xml, HasSubstr("Six hundred thirty baht only"));
  EXPECT_THAT(xml, HasSubstr("<ram:ID schemeID=\"NIDN\">1101700203451</ram:ID>"));
  // The seller: the agency's tax ID and the head office's branch, 18 characters (ETDA).
  EXPECT_THAT(xml, HasSubstr("<ram:ID schemeID=\"TXID\">099400015910200000</ram:ID>"));
}

TEST(ReceiptXml, EscapesNamesAndTheyReadBackAsWritten) {
  SignPermitReceipt receipt;
  receipt.content.payer_name = "A & <B>";
  const auto xml = receipt_xml(receipt.facts());
  EXPECT_THAT(xml, HasSubstr("<ram:Name>A &amp; &lt;B&gt;</ram:Name>"));
  EXPECT_THAT(xml, Not(HasSubstr("A & <B>")));
  if (!has_xmllint()) GTEST_SKIP() << "xmllint is not installed";
  EXPECT_EQ(schema_errors(xml), "");
  TempDir dir;
  const auto file = dir.write("pratu-receipt.xml", xml);
  auto name = run_command(
      "xmllint --xpath \"string(//*[local-name()='BuyerTradeParty']/*[local-name()='Name'])\" " +
      shell_quoted(file));
  if (!name.output.empty() && name.output.back() == '\n') name.output.pop_back();
  EXPECT_EQ(name.output, "A & <B>");
}

TEST(ReceiptLayout, ShowsTheNumberAndTheTotalInFiguresAndWords) {
  const auto layout = receipt_layout(SignPermitReceipt{}.facts(), translations());
  EXPECT_EQ(layout.header.right, kNumber);
  const auto text = layout_text(layout);
  EXPECT_THAT(text, HasSubstr(kNumber));
  EXPECT_THAT(text, HasSubstr("ใบเสร็จรับเงิน"));
  EXPECT_THAT(text, HasSubstr(std::string("630.00\n(") + kTotalInThai +
                              ")\n(Six hundred thirty baht only)"));
  EXPECT_THAT(text, HasSubstr("เล่มที่ 001 ปีงบประมาณ พ.ศ. 2570"));
  EXPECT_THAT(text, HasSubstr("2 ธันวาคม 2569"));
  EXPECT_THAT(text, HasSubstr("2 December 2026"));
  EXPECT_THAT(text, HasSubstr("ชำระผ่านธนาคาร sim ทางคิวอาร์โค้ด\nPaid through bank sim, by QR code\n"
                              "Ref. 1: 690000000421   Ref. 2: 691215\n"
                              "เลขที่รายการ TXN-20261202-0001\nTransaction TXN-20261202-0001"));
  EXPECT_THAT(text, HasSubstr("ขออนุญาตติดตั้งป้าย\nSign permit\n"));
  EXPECT_THAT(text, HasSubstr("BMA-SP-2569-000123"));
  EXPECT_THAT(text, HasSubstr("เลขประจำตัวประชาชน 1101700203451"));
  // The letterhead: the receiving agency and its tax ID.
  EXPECT_EQ(layout.header.left, "กรุงเทพมหานคร  เลขประจำตัวผู้เสียภาษีอากร 0994000159102");
  EXPECT_THAT(text, HasSubstr("ลงลายมือชื่ออิเล็กทรอนิกส์และประทับเวลาแล้ว"));
  EXPECT_THAT(text, HasSubstr(kVerifyUrl));
}

TEST(ReceiptLayout, CountsUnitsAndMarksStampDuty) {
  const auto text = layout_text(receipt_layout(SignPermitReceipt{}.facts(), translations()));
  EXPECT_THAT(text, HasSubstr("ค่าธรรมเนียมป้าย (3 ป้าย × 200.00 บาท)\n"
                              "Sign fee (3 × 200.00 baht per sign)\n600.00"));
  EXPECT_THAT(text, HasSubstr("ค่าอากรแสตมป์\nStamp duty\nอากรแสตมป์ นำส่งกรมสรรพากร\n"
                              "Revenue Department stamp duty\n30.00"));
}

TEST(ReceiptLayout, TakesEveryWordFromTheLocales) {
  SignPermitReceipt receipt;
  receipt.content.channel = "cheque";
  receipt.content.ref2.clear();
  const auto text = layout_text(receipt_layout(receipt.facts(), translations()));
  EXPECT_THAT(text, Not(HasSubstr("documents.receipt."))) << text;
  EXPECT_THAT(text, HasSubstr("เลขที่เช็ค TXN-20261202-0001"));
  // A channel the locales do not name is shown by its code.
  receipt.content.channel = "XYZ";
  EXPECT_THAT(layout_text(receipt_layout(receipt.facts(), translations())),
              HasSubstr("ชำระผ่านธนาคาร sim ช่องทาง XYZ"));
  // At the counter there is no bank.
  receipt.content.source = "cashier";
  receipt.content.channel = "cash";
  receipt.content.bank.clear();
  EXPECT_THAT(layout_text(receipt_layout(receipt.facts(), translations())),
              HasSubstr("ชำระที่หน่วยงาน ด้วยเงินสด\nPaid at the agency, in cash\n"));
}

TEST(ReceiptLayout, DrawsACancelledReceiptAsIssued) {
  SignPermitReceipt receipt;
  const auto issued_text = layout_text(receipt_layout(receipt.facts(), translations()));
  receipt.content.cancelled = true;
  receipt.content.cancel_reason = "คืนเงิน";
  receipt.content.cancelled_at = kPaidAt + 86400;
  EXPECT_EQ(layout_text(receipt_layout(receipt.facts(), translations())), issued_text);
}

TEST(ReceiptPdf, RendersOnOnePageWithTheNumberAndTheWords) {
  if (run_command("command -v pdftotext && command -v pdfinfo").exit_code != 0)
    GTEST_SKIP() << "poppler-utils is not installed";
  const SignPermitReceipt receipt;
  const auto facts = receipt.facts();
  pdf::DocumentInfo info;
  info.title = "ใบเสร็จรับเงิน";
  info.title_en = "Receipt";
  info.author = facts.agency.th;
  info.subject = kNumber;
  info.creator_tool = "Pratu test";
  info.created_at = receipt.document.issued_at;
  pdf::Attachment data{kReceiptDataFileName, "text/xml",
                       "The receipt's data", pdf::FileRelationship::alternative,
                       receipt_xml(facts),   receipt.document.issued_at};
  auto drawn = pdf::render_pdf_a3(receipt_layout(facts, translations()), info, {data});
  ASSERT_TRUE(drawn) << drawn.error().detail;

  TempDir dir;
  const auto file = dir.write("receipt.pdf", *drawn);
  auto text =
      run_command("pdftotext -raw -enc UTF-8 " + shell_quoted(file) + " -", test::Stderr::dropped);
  ASSERT_EQ(text.exit_code, 0);
  const auto extracted = without_whitespace(text.output);
  EXPECT_THAT(extracted, HasSubstr(kNumber)) << text.output;
  EXPECT_THAT(extracted, HasSubstr(kTotalInThai)) << text.output;
  EXPECT_THAT(extracted, HasSubstr("630.00")) << text.output;
  EXPECT_THAT(extracted, HasSubstr("เลขประจำตัวผู้เสียภาษีอากร0994000159102")) << text.output;
  auto pages = run_command("pdfinfo " + shell_quoted(file));
  EXPECT_THAT(pages.output, ::testing::ContainsRegex("Pages: +1\n")) << pages.output;
}

}  // namespace
}  // namespace pratu::documents
