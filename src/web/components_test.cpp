#include "web/components.hpp"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "common/files.hpp"
#include "web/template_engine.hpp"

namespace pratu::web {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Renders the real partial `name` of templates/partials with `model`.
std::string render(const std::string& name, json::object model) {
  static const TemplateSet set = [] {
    TemplateSet s;
    for (const auto& entry : fs::directory_iterator(PRATU_SOURCE_DIR "/templates/partials")) {
      auto text = read_file(entry.path());
      EXPECT_TRUE(text) << text.error().detail;
      auto compiled = Template::compile(text ? *text : "", entry.path().string());
      EXPECT_TRUE(compiled) << compiled.error().detail;
      s.add(entry.path().stem().string(), *compiled);
      s.add("partials/" + entry.path().stem().string(), *compiled);
    }
    return s;
  }();
  json::value globals =
      json::object{{"t", json::object{{"errors", json::object{{"title_prefix", "Error:"}}}}}};
  json::value value = std::move(model);
  std::string out;
  set.find(name)->render({&globals, &value}, &set, out);
  return out;
}

TEST(Components, TextInputTiesLabelHintAndErrorToTheInput) {
  auto html =
      render("text_input",
             text_input({"email", "Email", "We send the receipt here", "Enter an email address"},
                        "a@b", {.type = "email", .autocomplete = "email", .spellcheck = false}));
  EXPECT_THAT(html, HasSubstr(R"(<label class="label" for="email">Email</label>)"));
  EXPECT_THAT(html, HasSubstr(R"(id="email-hint")"));
  EXPECT_THAT(html, HasSubstr(R"(id="email-error")"));
  EXPECT_THAT(html, HasSubstr(R"(aria-describedby="email-hint email-error")"));
  EXPECT_THAT(html, HasSubstr(R"(aria-invalid="true")"));
  EXPECT_THAT(html, HasSubstr(R"(type="email")"));
  EXPECT_THAT(html, HasSubstr(R"(value="a@b")"));
  EXPECT_THAT(html, HasSubstr(R"(spellcheck="false")"));
  auto plain = render("text_input", text_input({"name", "Name", "", ""}, "", {}));
  EXPECT_THAT(plain, Not(HasSubstr("aria-describedby")));
  EXPECT_THAT(plain, Not(HasSubstr("aria-invalid")));
}

TEST(Components, TypedValuesAreEscaped) {
  auto html = render("textarea", textarea({"note", "Note", "", ""}, R"(<script>"x")", 4));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;&quot;x&quot;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

TEST(Components, RadiosAreAFieldsetWhoseFirstItemTheErrorSummaryLinksTo) {
  auto html = render("radios", radios({"kind", "Kind of business", "", "Choose one"},
                                      {{"sole", "Sole trader", ""},
                                       {"partnership", "Partnership", "Two or more people"}},
                                      "partnership"));
  EXPECT_THAT(html, HasSubstr("<legend class=\"fieldset__legend\">Kind of business</legend>"));
  EXPECT_THAT(html, HasSubstr(R"(id="kind" name="kind" type="radio" value="sole")"));
  EXPECT_THAT(html,
              HasSubstr(R"(id="kind-2" name="kind" type="radio" value="partnership" checked)"));
  EXPECT_THAT(html, HasSubstr(R"(aria-describedby="kind-2-item-hint")"));
  EXPECT_THAT(html, HasSubstr(R"(aria-describedby="kind-error")"));
}

TEST(Components, CheckboxesKeepEverySelectedChoice) {
  auto html =
      render("checkboxes",
             checkboxes({"days", "Open on", "", ""},
                        {{"sat", "Saturday", ""}, {"sun", "Sunday", ""}, {"mon", "Monday", ""}},
                        {"sat", "mon"}));
  EXPECT_THAT(html, HasSubstr(R"(value="sat" checked)"));
  EXPECT_THAT(html, HasSubstr(R"(value="sun">)"));
  EXPECT_THAT(html, HasSubstr(R"(value="mon" checked)"));
}

TEST(Components, SelectOffersAPlaceholderAndMarksTheChoice) {
  auto html =
      render("select", select({"title", "Title", "", ""}, {{"mr", "Mr", ""}, {"ms", "Ms", ""}},
                              "ms", "Choose", "short"));
  EXPECT_THAT(html, HasSubstr(R"(<option value="">Choose</option>)"));
  EXPECT_THAT(html, HasSubstr(R"(<option value="ms" selected>Ms</option>)"));
  EXPECT_THAT(html, HasSubstr("input--short"));
}

TEST(Components, FileUploadSaysWhatItAccepts) {
  auto html = render("file_upload", file_upload({"plan", "Floor plan", "PDF, up to 10 MB", ""},
                                                "application/pdf"));
  EXPECT_THAT(html, HasSubstr(R"(type="file" accept="application/pdf")"));
  EXPECT_THAT(html, HasSubstr(R"(aria-describedby="plan-hint")"));
}

TEST(Components, DateInputShowsTheBuddhistEraInThai) {
  const DateLabels labels{"วัน", "เดือน", "ปี (พ.ศ.)"};
  auto html =
      render("date_input", date_input({"born", "วันเกิด", "", ""}, "1987-03-27", labels, Locale::th));
  EXPECT_THAT(html, HasSubstr(R"(id="born" name="born-day")"));
  EXPECT_THAT(html, HasSubstr(R"(value="27")"));
  EXPECT_THAT(html, HasSubstr(R"(value="2530")"));
  EXPECT_THAT(html, HasSubstr(R"(role="group")"));
  auto english = render("date_input", date_input({"born", "Date of birth", "", ""}, "1987-03-27",
                                                 {"Day", "Month", "Year"}, Locale::en));
  EXPECT_THAT(english, HasSubstr(R"(value="1987")"));
}

TEST(Components, DatesAreReadBackInTheEraTheyWereTypedIn) {
  EXPECT_EQ(*parse_date({"27", "3", "2530"}, Locale::th, "born"), "1987-03-27");
  EXPECT_EQ(*parse_date({"27", "3", "1987"}, Locale::en, "born"), "1987-03-27");
  // People type Buddhist years on English pages too.
  EXPECT_EQ(*parse_date({"1", "1", "2569"}, Locale::en, "born"), "2026-01-01");
  EXPECT_EQ(*parse_date({"29", "2", "2567"}, Locale::th, "born"), "2024-02-29");
  auto key = [](const DateParts& parts, Locale locale) {
    auto parsed = parse_date(parts, locale, "born");
    EXPECT_FALSE(parsed);
    if (parsed) return std::string();
    EXPECT_EQ(parsed.error().fields.at(0).field, "born");
    return parsed.error().fields.at(0).message_key;
  };
  EXPECT_EQ(key({"", "3", "2530"}, Locale::th), "errors.date.missing");
  EXPECT_EQ(key({"29", "2", "2566"}, Locale::th), "errors.date.not_a_date");
  EXPECT_EQ(key({"31", "4", "2530"}, Locale::th), "errors.date.not_a_date");
  EXPECT_EQ(key({"1", "13", "2530"}, Locale::th), "errors.date.not_a_date");
  EXPECT_EQ(key({"x", "3", "2530"}, Locale::th), "errors.date.not_a_date");
  EXPECT_EQ(key({"1", "3", "30"}, Locale::th), "errors.date.year");
  EXPECT_EQ(key({"1", "3", "1987"}, Locale::th), "errors.date.year") << "1444 CE is no one's date";
}

TEST(Components, DatePartsAreReadFromTheForm) {
  auto parts = date_parts(
      {{"born-day", " 7 "}, {"born-month", "11"}, {"born-year", "2540"}, {"x-day", "1"}}, "born");
  EXPECT_EQ(parts.day, "7");
  EXPECT_EQ(parts.month, "11");
  EXPECT_EQ(parts.year, "2540");
}

TEST(Components, SummaryListChangeLinksSayWhatTheyChange) {
  auto html = render("summary_list",
                     summary_list({{"Email", "a@b", "/account/email", "Change", "your email"},
                                   {"Member since", "1 January 2026", "", "", ""}}));
  EXPECT_THAT(
      html,
      HasSubstr(
          R"(<a href="/account/email">Change<span class="visually-hidden"> your email</span></a>)"));
  EXPECT_THAT(html, HasSubstr("<dd class=\"summary-list__value\">1 January 2026</dd>"));
}

TEST(Components, SummaryListValueMayBeALink) {
  SummaryRow file{"ID card", "card & co.pdf", "", "", ""};
  file.value_href = "/applications/a1/documents/card";
  auto html = render("summary_list", summary_list({file}));
  EXPECT_THAT(html,
              HasSubstr(R"(<dd class="summary-list__value"><a )"
                        R"(href="/applications/a1/documents/card">card &amp; co.pdf</a></dd>)"));
}

TEST(Components, SuccessBannersAreAnnounced) {
  auto success =
      render("notification_banner",
             notification_banner(BannerKind::success, "Success", "Your password has been changed"));
  EXPECT_THAT(success, HasSubstr(R"(role="alert")"));
  EXPECT_THAT(success, HasSubstr("notification-banner--success"));
  auto important =
      render("notification_banner",
             notification_banner(BannerKind::important, "Important", "Pay by 5 December",
                                 "The bill is in your applications"));
  EXPECT_THAT(important, HasSubstr(R"(role="region")"));
  EXPECT_THAT(important, HasSubstr("The bill is in your applications"));
}

TEST(Components, TaskListLinksOnlyTasksThatCanStart) {
  auto html =
      render("task_list", task_list({{"Your details", "/apply/1/details", "Completed", true},
                                     {"Pay the fee", "", "Cannot start yet", false}}));
  EXPECT_THAT(
      html,
      HasSubstr(R"(<a href="/apply/1/details" aria-describedby="task-1-status">Your details</a>)"));
  EXPECT_THAT(html, HasSubstr("task-list__status--done"));
  EXPECT_THAT(html, HasSubstr("<span class=\"task-list__name\">Pay the fee</span>"));
}

}  // namespace
}  // namespace pratu::web
