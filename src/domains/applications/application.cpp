#include "domains/applications/application.hpp"

namespace pratu::applications {

std::string_view status_key(Status status) {
  switch (status) {
    case Status::draft: return "draft";
    case Status::submitted: return "submitted";
  }
  return "draft";
}

std::optional<Status> status_of(std::string_view key) {
  if (key == "draft") return Status::draft;
  if (key == "submitted") return Status::submitted;
  return std::nullopt;
}

}  // namespace pratu::applications
