// Boost.Asio for this codebase. Boost 1.74's awaitable.hpp uses std::exchange
// without including <utility>, which C++20 builds need; include it first.
#pragma once

// clang-format off
#include <utility>
#include <boost/asio.hpp>
// clang-format on
