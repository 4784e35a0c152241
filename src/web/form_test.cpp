#include "web/form.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pratu::web {
namespace {

Request form_post(std::string body) {
  Request request;
  request.method = "POST";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = std::move(body);
  return request;
}

TEST(Form, DecodesPlusAsSpaceAndTrimsValues) {
  auto form = Form::parse(form_post("name=%E0%B8%AA%E0%B8%A1+ชาย+&password=+a+b+"));
  ASSERT_TRUE(form);
  EXPECT_EQ(form->value("name"), "สม ชาย");
  EXPECT_EQ(form->raw("password"), " a b ");
  EXPECT_TRUE(form->has("password"));
  EXPECT_FALSE(form->has("email"));
}

TEST(Form, KeepsEveryValueOfANameInOrder) {
  auto form = Form::parse(form_post("kinds=food&other=x&kinds=+drink+&kinds="));
  ASSERT_TRUE(form);
  EXPECT_EQ(form->values("kinds"), (std::vector<std::string>{"food", "drink", ""}));
  EXPECT_TRUE(form->values("none").empty());
  EXPECT_EQ(form->fields().size(), 4u);
}

TEST(Form, RefusesABodyWithAMalformedEscape) {
  for (const char* body : {"name=100%", "name=%zz", "name=a&email=%4"}) {
    auto form = Form::parse(form_post(body));
    ASSERT_FALSE(form) << body;
    EXPECT_EQ(form.error().code, ErrorCode::invalid_input);
    EXPECT_EQ(form.error().message_key, "errors.form_unreadable");
  }
}

TEST(Form, RefusesAnotherContentType) {
  auto request = form_post("name=x");
  request.headers = {{"Content-Type", "application/json"}};
  EXPECT_FALSE(Form::parse(request));
}

TEST(PageParam, IsOneWhenAbsentAndRefusesWhatIsNoPositiveWholeNumber) {
  auto with_page = [](std::string value) {
    Request request;
    request.query.emplace_back("page", std::move(value));
    return request;
  };
  EXPECT_EQ(page_param(Request{}, 50), 1);
  EXPECT_EQ(page_param(with_page(""), 50), 1);
  EXPECT_EQ(page_param(with_page("3"), 50), 3);
  EXPECT_EQ(page_param(with_page("9999"), 50), 50);
  EXPECT_EQ(page_param(with_page("0"), 50), std::nullopt);
  EXPECT_EQ(page_param(with_page("-2"), 50), std::nullopt);
  EXPECT_EQ(page_param(with_page("2x"), 50), std::nullopt);
  EXPECT_EQ(page_param(with_page("99999999999999999999"), 50), std::nullopt);
}

}  // namespace
}  // namespace pratu::web
