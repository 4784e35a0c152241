#pragma once
/// Feedback as a module: anyone may say how satisfied they were with Pratu, everyone may see
/// the statistics, administrators read the comments. The worked example of
/// docs/adding-a-domain.md.

#include <memory>

#include "domains/feedback/feedback.hpp"
#include "platform/module.hpp"

namespace pratu::feedback {

class FeedbackThrottle;
class FeedbackService;
class FeedbackHandlers;

class FeedbackModule final : public platform::Module {
 public:
  FeedbackModule();
  ~FeedbackModule() override;

  std::string_view name() const override { return "feedback"; }
  std::vector<platform::SettingsSection> settings() override;
  std::vector<platform::Command> add_commands(CLI::App& cli) override;
  Result<void> start(platform::Shared& shared) override;
  web::Routes routes() override;
  std::vector<platform::PeriodicTask> housekeeping() override;

 private:
  // The services every use needs, for the server and for commands alike.
  Result<void> build_services(platform::Shared& shared);
  int statistics_command(platform::Shared& shared);

  FeedbackSettings settings_;
  std::unique_ptr<FeedbackThrottle> throttle_;
  std::unique_ptr<FeedbackService> service_;
  std::unique_ptr<FeedbackHandlers> handlers_;
};

}  // namespace pratu::feedback
