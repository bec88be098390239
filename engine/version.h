// The engine's version, recorded with every stored run so that a result can be
// traced to the program that produced it. Bump it with every release.
#pragma once

namespace tr {

inline constexpr const char* kEngineVersion = "0.1.0";

}  // namespace tr
