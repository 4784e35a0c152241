#pragma once
/// For tests: a service directory over a folder, with the services a test puts in it.

#include <filesystem>
#include <string_view>
#include <vector>

#include "platform/service_directory.hpp"

namespace pratu::applications {

class FakeDirectory final : public platform::ServiceDirectory {
 public:
  explicit FakeDirectory(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path directory() const override { return dir_; }
  const platform::ServiceInfo* service(std::string_view slug) const override {
    for (const auto& s : services_) {
      if (s.slug == slug) return &s;
    }
    return nullptr;
  }
  std::vector<const platform::ServiceInfo*> services() const override {
    std::vector<const platform::ServiceInfo*> out;
    for (const auto& s : services_) out.push_back(&s);
    return out;
  }
  std::vector<platform::ServiceInfo> services_;

 private:
  std::filesystem::path dir_;
};

}  // namespace pratu::applications
