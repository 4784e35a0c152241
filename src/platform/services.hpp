#pragma once
/// What modules offer each other while they start: one object per interface type. A module
/// offers what it implements (the catalogue offers the agency directory); a later module, or
/// the app, asks for it by type. Asking for what no earlier module offered is an error naming
/// both, so a module list in the wrong order fails at startup, not at the first request.

#include <any>
#include <map>
#include <string>
#include <string_view>
#include <typeindex>

#include "common/result.hpp"

namespace pratu::platform {

class Services {
 public:
  /// Offers `service` as `Interface`; `module` names the offerer in error messages.
  template <class Interface>
  Result<void> offer(std::string_view module, Interface& service) {
    auto [it, added] = entries_.try_emplace(std::type_index(typeid(Interface)),
                                            Entry{std::string(module), &service});
    if (!added) {
      return Error::internal("module " + std::string(module) + " offers " + type_name<Interface>() +
                             ", which module " + it->second.module + " already offers");
    }
    return ok();
  }

  /// The `Interface` some module offered, or nullptr.
  template <class Interface>
  Interface* find() const {
    auto it = entries_.find(std::type_index(typeid(Interface)));
    return it == entries_.end() ? nullptr : std::any_cast<Interface*>(it->second.service);
  }

  /// The `Interface` some module offered; an error naming `who` when none did.
  template <class Interface>
  Result<Interface*> need(std::string_view who) const {
    if (auto* found = find<Interface>()) return found;
    return Error::internal(std::string(who) + " needs " + type_name<Interface>() +
                           ", which no module before it offers");
  }

 private:
  template <class Interface>
  static std::string type_name() {
    return Interface::kServiceName;
  }
  struct Entry {
    std::string module;
    std::any service;  // Interface*
  };
  std::map<std::type_index, Entry> entries_;
};

}  // namespace pratu::platform
