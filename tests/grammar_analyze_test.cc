// PEGTL's grammar analysis: no rule can loop forever without consuming input.
#include "grammar/trustrules.hpp"

#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

TEST_CASE("the grammar has no infinite loops", "[grammar]") {
  CHECK(tao::pegtl::analyze<tr::grammar::file>() == 0);
  CHECK(tao::pegtl::analyze<tr::grammar::decl_keyword>() == 0);
}
