#include "web/multipart.hpp"

#include <gtest/gtest.h>

#include <string>

#include "web/form.hpp"

namespace pratu::web {
namespace {

using namespace std::string_literals;

// What a browser sends for a page with a CSRF token, a text field and two file inputs, one
// left empty.
const std::string kBody =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"_csrf\"\r\n"
    "\r\n"
    "token-1\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"trade_name\"\r\n"
    "\r\n"
    "ร้านสมชาย \r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"plans\"; filename=\"แบบ \\\"ก\\\".pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF-1.7\r\n\0binary\r\n--XyNot-the-boundary\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"title_deed\"; filename=\"\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\r\n"
    "--XyZ--\r\n"s;

TEST(Multipart, ReadsTheBoundaryOfAFormDataTypeOnly) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryA1b2"),
            "----WebKitFormBoundaryA1b2");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""), "a b:c");
  EXPECT_FALSE(multipart_boundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary="));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=\"a<b\""));
  EXPECT_FALSE(multipart_boundary("application/x-www-form-urlencoded"));
}

TEST(Multipart, SplitsFieldsFromFilesAndKeepsTheBytesExactly) {
  auto form = parse_multipart(kBody, "XyZ");
  ASSERT_TRUE(form);
  ASSERT_EQ(form->fields.size(), 2u);
  EXPECT_EQ(form->fields[0], (Header{"_csrf", "token-1"}));
  EXPECT_EQ(form->fields[1], (Header{"trade_name", "ร้านสมชาย "}));
  // The empty file input is left out; the chosen file keeps every byte, NUL and CRLF included.
  ASSERT_EQ(form->files.size(), 1u);
  EXPECT_EQ(form->files[0].name, "plans");
  EXPECT_EQ(form->files[0].filename, "แบบ \"ก\".pdf");
  EXPECT_EQ(form->files[0].content_type, "application/pdf");
  EXPECT_EQ(form->files[0].bytes, "%PDF-1.7\r\n\0binary\r\n--XyNot-the-boundary"s);
}

TEST(Multipart, AcceptsAPreambleAndAnEmptyForm) {
  auto form = parse_multipart(
      "ignored preamble\r\n--b\r\n"
      "content-disposition: form-data; name=a\r\n\r\n1\r\n--b--",
      "b");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->fields, (std::vector<Header>{{"a", "1"}}));
  auto empty = parse_multipart("--b--\r\n", "b");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->fields.empty());
}

TEST(Multipart, RefusesWhatIsMalformed) {
  const auto part = [](std::string headers, std::string bytes) {
    return "--b\r\n" + headers + "\r\n\r\n" + bytes + "\r\n--b--\r\n";
  };
  EXPECT_FALSE(parse_multipart("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1", "b"))
      << "no closing delimiter";
  EXPECT_FALSE(parse_multipart("no delimiter at all", "b"));
  EXPECT_FALSE(parse_multipart(part("Content-Disposition: attachment; name=a", "1"), "b"));
  EXPECT_FALSE(parse_multipart(part("Content-Disposition: form-data", "1"), "b")) << "no name";
  EXPECT_FALSE(parse_multipart(part("Content-Disposition: form-data; name=\"a", "1"), "b"));
  EXPECT_FALSE(parse_multipart(part("Content-Type: text/plain", "1"), "b")) << "no disposition";
  EXPECT_FALSE(parse_multipart(part("Content-Disposition: form-data; name=a", "\xff"), "b"))
      << "a field that is not UTF-8";
  EXPECT_FALSE(parse_multipart(part("Content-Disposition: form-data; name=a", "x\0y"s), "b"));
  EXPECT_FALSE(parse_multipart(
      part("Content-Disposition: form-data; name=a\r\nX-Long: " + std::string(9000, 'x'), "1"),
      "b"))
      << "headers past 8 KiB";
  std::string many;
  for (int i = 0; i < 4; ++i) many += "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n";
  EXPECT_TRUE(parse_multipart(many + "--b--", "b", 4));
  EXPECT_FALSE(parse_multipart(many + "--b--", "b", 3)) << "more parts than allowed";
}

TEST(Form, ParsesAMultipartPostWithItsFiles) {
  Request request;
  request.method = "POST";
  request.headers = {{"Content-Type", "multipart/form-data; boundary=XyZ"}};
  request.body = kBody;
  auto form = Form::parse(request);
  ASSERT_TRUE(form);
  EXPECT_EQ(form->raw("_csrf"), "token-1");
  EXPECT_EQ(form->value("trade_name"), "ร้านสมชาย");
  ASSERT_NE(form->file("plans"), nullptr);
  EXPECT_EQ(form->file("plans")->bytes.substr(0, 8), "%PDF-1.7");
  EXPECT_EQ(form->file("title_deed"), nullptr) << "no file chosen";

  request.body = "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--";
  auto broken = Form::parse(request);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message_key, "errors.form_unreadable");
}

}  // namespace
}  // namespace pratu::web
