#include "period.h"

#include <catch2/catch.hpp>

using tr::Period;

TEST_CASE("period: parse and print years and terms", "[period]") {
  Period p;
  REQUIRE(tr::parse_period("2018-19", p));
  CHECK(p.year == 2018);
  CHECK(p.term == 0);
  CHECK(tr::to_string(p) == "2018-19");
  REQUIRE(tr::parse_period("2018-2019", p));
  CHECK(p == Period{2018, 0});
  REQUIRE(tr::parse_period("2019-20 autumn", p));
  CHECK(p == Period{2019, 1});
  CHECK(tr::to_string(p) == "2019-20 autumn");
  REQUIRE(tr::parse_period("2019-20:Summer", p));
  CHECK(p == Period{2019, 3});
  REQUIRE(tr::parse_period(" 2024-25 spring ", p));
  CHECK(tr::to_string(p) == "2024-25 spring");
  REQUIRE(tr::parse_period("2099-00", p));
  CHECK(p.year == 2099);
  CHECK(tr::to_string(Period{2099, 0}) == "2099-00");
  CHECK(tr::to_string(Period{2008, 2}) == "2008-09 spring");
}

TEST_CASE("period: malformed text is rejected", "[period]") {
  Period p{1, 1};
  for (const char* bad : {"", "2018", "2018-20", "2018-2020", "18-19", "2018-19 winter", "2018-19x",
                          "2018-199", "abcd-ef", "2018-19 autumn extra"}) {
    INFO(bad);
    CHECK_FALSE(tr::parse_period(bad, p));
  }
  CHECK(p == Period{1, 1});  // untouched on failure
}

TEST_CASE("period: terms as MIS exports write them", "[period]") {
  CHECK(tr::parse_term("Autumn") == 1);
  CHECK(tr::parse_term("spring term") == 2);
  CHECK(tr::parse_term(" Summer Term ") == 3);
  CHECK(tr::parse_term("winter") == 0);
  CHECK(tr::parse_term("") == 0);
}

TEST_CASE("period: annual values order with the summer term", "[period]") {
  Period annual{2018, 0}, autumn{2018, 1}, spring{2018, 2}, summer{2018, 3}, next_autumn{2019, 1};
  CHECK(autumn.key() < spring.key());
  CHECK(spring.key() < annual.key());
  CHECK(annual.key() == summer.key());
  CHECK(annual.key() < next_autumn.key());
  CHECK_FALSE(annual == summer);
}

TEST_CASE("period: from file names", "[period]") {
  Period p;
  REQUIRE(tr::period_from_file_name("2016-2017_850_ks2final.csv", p));
  CHECK(p == Period{2016, 0});
  REQUIRE(tr::period_from_file_name("attendance_2018-19.csv", p));
  CHECK(p == Period{2018, 0});
  // A date is the term it falls in.
  REQUIRE(tr::period_from_file_name("2021-05-07_850_gias.csv", p));
  CHECK(p == Period{2020, 3});
  REQUIRE(tr::period_from_file_name("gias_2020-10-01.csv", p));
  CHECK(p == Period{2020, 1});
  REQUIRE(tr::period_from_file_name("gias_2021-02-15.csv", p));
  CHECK(p == Period{2020, 2});
  CHECK_FALSE(tr::period_from_file_name("england_abs.csv", p));
  CHECK_FALSE(tr::period_from_file_name("850_2018.csv", p));
  CHECK_FALSE(tr::period_from_file_name("ks2_meta_12018-2019.csv", p));
  // Only the years a cell can hold (tr::kFirstYear to tr::kLastYear) are periods.
  REQUIRE(tr::period_from_file_name("1900-1901_ks2.csv", p));
  CHECK(p == Period{1900, 0});
  REQUIRE(tr::period_from_file_name("2200-01_ks2.csv", p));
  CHECK(p == Period{2200, 0});
  CHECK_FALSE(tr::period_from_file_name("1899-1900_ks2.csv", p));
  CHECK_FALSE(tr::period_from_file_name("2201-2202_ks2.csv", p));
  CHECK_FALSE(tr::period_from_file_name("1900-02-01_gias.csv", p));  // spring of 1899-00
  CHECK_FALSE(tr::parse_period("1899-00", p));
  CHECK_FALSE(tr::parse_period("2201-02", p));
}
