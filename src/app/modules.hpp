#pragma once
/// The domain modules Pratu runs, in order: a module may use what the modules before it offer,
/// and its tables may refer to theirs.

#include <memory>
#include <vector>

#include "platform/module.hpp"

namespace pratu::app {

using Modules = std::vector<std::unique_ptr<platform::Module>>;

/// A fresh instance of every module.
Modules modules();

/// Every configuration section of `modules`, bound to their settings.
std::vector<platform::SettingsSection> settings_of(const Modules& modules);

}  // namespace pratu::app
