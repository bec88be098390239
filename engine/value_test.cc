// The three-valued algebra: every operator's truth table, and unknown reasons
// travelling through arithmetic and comparisons.
#include "value.h"

#include <catch2/catch.hpp>

using namespace tr;

namespace {

Value T() { return Value::boolean(true); }
Value F() { return Value::boolean(false); }
Value U(const char* why = "PTRWM_EXP is SUPP") { return Value::unknown(why, Type::Bool); }
Value N(double v, Type t = Type::Number) { return Value::number(v, t); }
Value UN(const char* why) { return Value::unknown(why, Type::Percent); }

char t(const Value& v) {
  switch (v.truth()) {
    case Truth::True: return 'T';
    case Truth::False: return 'F';
    case Truth::Unknown: return 'U';
  }
  return '?';
}

}  // namespace

TEST_CASE("and: Kleene truth table, decided side drops the unknown's reasons", "[eval][value]") {
  CHECK(t(logic_and(T(), T())) == 'T');
  CHECK(t(logic_and(T(), F())) == 'F');
  CHECK(t(logic_and(F(), T())) == 'F');
  CHECK(t(logic_and(F(), F())) == 'F');
  CHECK(t(logic_and(T(), U())) == 'U');
  CHECK(t(logic_and(U(), T())) == 'U');
  CHECK(t(logic_and(U(), U("b"))) == 'U');
  Value fu = logic_and(F(), U());
  CHECK(t(fu) == 'F');
  CHECK(fu.reasons.empty());
  CHECK(t(logic_and(U(), F())) == 'F');
  Value tu = logic_and(T(), U("x is SUPP"));
  REQUIRE(tu.reasons.size() == 1);
  CHECK(tu.reasons[0] == "x is SUPP");
  Value uu = logic_and(U("a"), U("b"));
  CHECK(uu.reasons == Reasons{"a", "b"});
}

TEST_CASE("or: Kleene truth table", "[eval][value]") {
  CHECK(t(logic_or(T(), T())) == 'T');
  CHECK(t(logic_or(T(), F())) == 'T');
  CHECK(t(logic_or(F(), T())) == 'T');
  CHECK(t(logic_or(F(), F())) == 'F');
  Value tu = logic_or(T(), U());
  CHECK(t(tu) == 'T');
  CHECK(tu.reasons.empty());
  CHECK(t(logic_or(U(), T())) == 'T');
  CHECK(t(logic_or(F(), U())) == 'U');
  CHECK(t(logic_or(U(), F())) == 'U');
  CHECK(t(logic_or(U(), U())) == 'U');
  CHECK(logic_or(F(), U("why")).reasons == Reasons{"why"});
}

TEST_CASE("not keeps the reasons of unknown", "[eval][value]") {
  CHECK(t(logic_not(T())) == 'F');
  CHECK(t(logic_not(F())) == 'T');
  Value n = logic_not(U("why"));
  CHECK(t(n) == 'U');
  CHECK(n.reasons == Reasons{"why"});
}

TEST_CASE("arithmetic with unknown is unknown with every reason", "[eval][value]") {
  Value a = arith(Op::Sub, N(60, Type::Percent), N(55, Type::Percent));
  CHECK(a.known());
  CHECK(a.num == Approx(5));
  CHECK(a.type == Type::Points);
  Value b = arith(Op::Sub, UN("A is SUPP"), N(55, Type::Percent));
  CHECK(!b.known());
  CHECK(b.reasons == Reasons{"A is SUPP"});
  Value c = arith(Op::Add, UN("A is SUPP"), UN("B is blank"));
  CHECK(c.reasons == Reasons{"A is SUPP", "B is blank"});
  Value d = arith(Op::Div, N(1), N(0));
  CHECK(!d.known());
  CHECK(d.reasons == Reasons{"division by zero"});
  CHECK(arith(Op::Mul, N(2), N(3.5)).num == Approx(7));
  CHECK(negate(N(2.5, Type::Score)).num == Approx(-2.5));
  CHECK(!negate(UN("x")).known());
  CHECK(arith_type(Op::Add, Type::Percent, Type::Points) == Type::Percent);
  CHECK(arith_type(Op::Sub, Type::Score, Type::Score) == Type::Points);
}

TEST_CASE("comparisons: numbers with tolerance, unknown operands", "[eval][value]") {
  CHECK(t(compare(Op::Ge, N(65, Type::Percent), N(65, Type::Percent))) == 'T');
  CHECK(t(compare(Op::Lt, N(64.9), N(65))) == 'T');
  CHECK(t(compare(Op::Eq, arith(Op::Add, N(0.1), N(0.2)), N(0.3))) == 'T');
  CHECK(t(compare(Op::Ne, N(1), N(2))) == 'T');
  CHECK(t(compare(Op::Gt, N(1), N(2))) == 'F');
  CHECK(t(compare(Op::Le, N(-5), N(-5))) == 'T');
  Value u = compare(Op::Ge, UN("PTRWM_EXP is SUPP"), N(65));
  CHECK(t(u) == 'U');
  CHECK(u.reasons == Reasons{"PTRWM_EXP is SUPP"});
  Value both = compare(Op::Lt, UN("a"), UN("b"));
  CHECK(both.reasons == Reasons{"a", "b"});
}

TEST_CASE("comparisons: grades (rank 0 best), texts, years, yes/no", "[eval][value]") {
  Value outstanding = Value::grade(0, 0), good = Value::grade(0, 1), ri = Value::grade(0, 2);
  CHECK(t(compare(Op::Ge, good, good)) == 'T');          // at least good
  CHECK(t(compare(Op::Ge, outstanding, good)) == 'T');
  CHECK(t(compare(Op::Ge, ri, good)) == 'F');
  CHECK(t(compare(Op::Lt, ri, good)) == 'T');            // below good
  CHECK(t(compare(Op::Gt, outstanding, good)) == 'T');   // above good
  CHECK(t(compare(Op::Eq, Value::grade(1, 0), good)) == 'U');  // different scales
  CHECK(t(compare(Op::Eq, Value::string("Primary"), Value::string("primary"))) == 'T');
  CHECK(t(compare(Op::Ne, Value::string("primary"), Value::string("secondary"))) == 'T');
  CHECK(t(compare(Op::Lt, Value::string("a"), Value::string("b"))) == 'U');
  CHECK(t(compare(Op::Le, Value::year(2016), Value::year(2016))) == 'T');
  CHECK(t(compare(Op::Le, Value::year(2017), Value::year(2016))) == 'F');
  CHECK(t(compare(Op::Eq, T(), T())) == 'T');
  CHECK(t(compare(Op::Eq, T(), F())) == 'F');
  CHECK(t(compare(Op::Eq, N(1), Value::string("1"))) == 'U');
}

TEST_CASE("between and in are three-valued", "[eval][value]") {
  CHECK(t(between(N(92), N(90), N(95))) == 'T');
  CHECK(t(between(N(90), N(90), N(95))) == 'T');
  CHECK(t(between(N(96), N(90), N(95))) == 'F');
  CHECK(t(between(UN("x"), N(90), N(95))) == 'U');
  CHECK(t(between(N(80), N(90), UN("hi unknown"))) == 'F');  // already below lo
  CHECK(t(between(N(92), N(90), UN("hi unknown"))) == 'U');
  std::vector<Value> set{Value::grade(0, 0), Value::grade(0, 1)};
  CHECK(t(member_of(Value::grade(0, 1), set)) == 'T');
  CHECK(t(member_of(Value::grade(0, 3), set)) == 'F');
  CHECK(t(member_of(Value::unknown("no grade", Type::Grade), set)) == 'U');
  std::vector<Value> mixed{Value::string("primary"), Value::unknown("?", Type::Text)};
  CHECK(t(member_of(Value::string("primary"), mixed)) == 'T');
  CHECK(t(member_of(Value::string("secondary"), mixed)) == 'U');
}

TEST_CASE("if/then/else, known, count_of, abs, min, max", "[eval][value]") {
  CHECK(choose(T(), N(1), N(2)).num == 1);
  CHECK(choose(F(), N(1), N(2)).num == 2);
  Value c = choose(U("year unknown"), N(1), N(2));
  CHECK(!c.known());
  CHECK(c.reasons == Reasons{"year unknown"});
  CHECK(choose(U(), N(3), N(3)).num == 3);  // both branches agree
  CHECK(t(known_of(UN("x"))) == 'F');
  CHECK(t(known_of(N(1))) == 'T');
  CHECK(known_of(UN("x")).reasons.empty());

  Value all = count_true({T(), F(), T()});
  CHECK(all.known());
  CHECK(all.num == 2);
  Value part = count_true({T(), U("w is SUPP"), T()});
  CHECK(!part.known());
  CHECK(part.kind == Value::Kind::Range);
  // Two already met: "at least 2" holds whatever the unknown turns out to be.
  CHECK(t(compare(Op::Ge, part, N(2))) == 'T');
  CHECK(t(compare(Op::Ge, part, N(3))) == 'U');
  CHECK(compare(Op::Ge, part, N(3)).reasons == Reasons{"w is SUPP"});
  CHECK(t(compare(Op::Eq, count_true({F(), U(), F()}), N(2))) == 'F');
  CHECK(t(compare(Op::Lt, count_true({F(), U(), F()}), N(2))) == 'T');
  CHECK(!arith(Op::Add, part, N(1)).known());

  CHECK(abs_of(N(-3, Type::Points)).num == 3);
  CHECK(!abs_of(UN("x")).known());
  CHECK(min_of(N(1), N(2)).num == 1);
  CHECK(max_of(N(1), N(2)).num == 2);
  CHECK(max_of(N(1), UN("b")).reasons == Reasons{"b"});
}

TEST_CASE("values print as a reader sees them", "[eval][value]") {
  CHECK(format_plain(N(53, Type::Percent)) == "53%");
  CHECK(format_plain(N(-2.5, Type::Points)) == "-2.5 points");
  CHECK(format_plain(N(1, Type::Points)) == "1 point");
  CHECK(format_plain(N(97.333333)) == "97.33");
  CHECK(format_plain(T()) == "yes");
  CHECK(format_plain(Value::year(2018)) == "2018-19");
  CHECK(format_plain(UN("x")) == "unknown");
}
