#include "domains/feedback/feedback_module.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "crypto/digest.hpp"
#include "domains/feedback/feedback_handlers.hpp"
#include "domains/feedback/feedback_service.hpp"
#include "domains/feedback/feedback_throttle.hpp"
#include "storage/server_secrets.hpp"
#include "web/dates.hpp"

namespace pratu::feedback {

FeedbackModule::FeedbackModule() = default;
FeedbackModule::~FeedbackModule() = default;

std::vector<platform::SettingsSection> FeedbackModule::settings() {
  using platform::integer;
  auto& s = settings_;
  return {{"feedback",
           {integer("comment_max_length", "Longest comment accepted, in characters",
                    s.comment_max_length, 10, 10000),
            integer("keep_days", "Days a comment is kept before it is deleted (ratings stay)",
                    s.keep_days, 1, 3650),
            integer("per_address_per_hour", "Feedback one client address may send in an hour",
                    s.per_address_per_hour, 1, 10000)},
           {}}};
}

std::vector<platform::Command> FeedbackModule::add_commands(CLI::App& cli) {
  auto* feedback = cli.add_subcommand("feedback", "Satisfaction feedback");
  feedback->require_subcommand(1);
  auto* stats = feedback->add_subcommand("statistics", "Print the satisfaction statistics");
  return {{stats, [this](platform::Shared& shared) { return statistics_command(shared); }}};
}

Result<void> FeedbackModule::build_services(platform::Shared& shared) {
  // The key of the throttle's hashes: random, made by the first node, shared by all.
  PRATU_TRY(key, storage::shared_secret(shared.db, kThrottleSecretName, [&shared] {
              return crypto::to_hex(shared.random.bytes(32));
            }));
  throttle_ = std::make_unique<FeedbackThrottle>(shared.clock, std::move(key),
                                                 settings_.per_address_per_hour);
  service_ = std::make_unique<FeedbackService>(shared.db, shared.clock, *throttle_, settings_);
  return ok();
}

Result<void> FeedbackModule::start(platform::Shared& shared) {
  if (shared.renderer == nullptr) return Error::internal("feedback: started without a renderer");
  PRATU_CHECK(build_services(shared));
  handlers_ = std::make_unique<FeedbackHandlers>(*service_, *shared.renderer);
  return ok();
}

web::Routes FeedbackModule::routes() { return handlers_->routes(); }

std::vector<platform::PeriodicTask> FeedbackModule::housekeeping() {
  // Both are single idempotent statements: several nodes running them at once is harmless.
  return {{"feedback: delete old comments", std::chrono::hours(1),
           [this]() -> Result<void> {
             PRATU_CHECK(service_->forget_old_comments());
             return ok();
           }},
          {"feedback: purge stale throttle counters", std::chrono::minutes(10),
           [this]() -> Result<void> {
             PRATU_CHECK(service_->purge_stale_counters());
             return ok();
           }}};
}

int FeedbackModule::statistics_command(platform::Shared& shared) {
  if (auto built = build_services(shared); !built) {
    std::cerr << "pratu feedback statistics: " << built.error().detail << "\n";
    return 1;
  }
  auto stats = service_->statistics();
  if (!stats) {
    std::cerr << "pratu feedback statistics: " << stats.error().detail << "\n";
    return 1;
  }
  // For operators: the English words of the statistics page.
  const auto& t = shared.translations;
  const auto locale = web::Locale::en;
  auto print = [&](const std::string& heading, const RatingTotals& totals) {
    std::cout << heading << "\n";
    for (int r = kMaxRating; r >= kMinRating; --r) {
      std::cout << "  " << r << " " << t.text(locale, rating_key(r)) << ": "
                << totals.per_rating[r - 1] << "\n";
    }
    std::cout << "  " << t.text(locale, "feedback.statistics.count") << ": " << totals.count()
              << "\n";
    char average[32] = "-";
    if (auto mean = totals.average()) std::snprintf(average, sizeof average, "%.2f", *mean);
    std::cout << "  " << t.text(locale, "feedback.statistics.average") << ": " << average << "\n";
  };
  print(t.format(locale, "feedback.statistics.this_month_since",
                 {{"date", web::format_date(locale, stats->month_start)}}),
        stats->this_month);
  print(t.text(locale, "feedback.statistics.all_time"), stats->all_time);
  return 0;
}

}  // namespace pratu::feedback
