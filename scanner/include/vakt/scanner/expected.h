// Expected<T>: a value or an Error, the way every scanner API reports failure.
//
// No exception crosses a component boundary (see STYLE.md): adapters turn library errors into an
// Error at their edge and return it. Callers check ok() before value().
//
//   Expected<Engine> e = Engine::load(opts);
//   if (!e) { std::cerr << e.error().message; return 2; }
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace vakt {

struct Error {
  std::string message;
};

template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  Expected(Error error) : v_(std::move(error)) {}       // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const Error& error() const { return std::get<Error>(v_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing but can fail.
struct Ok {};
using Status = Expected<Ok>;

}  // namespace vakt
