// Names of the result model's enums, shared by every report writer so that the
// JSON, CSV, table and explanation spell a status the same way.
#include "result.h"

namespace tr {

const char* result_kind_id(ResultKind k) {
  switch (k) {
    case ResultKind::Standard: return "standard";
    case ResultKind::Floor: return "floor";
    case ResultKind::Descriptor: return "descriptor";
    case ResultKind::Kpi: return "kpi";
  }
  return "?";
}

const char* result_status_id(Status s) {
  switch (s) {
    case Status::Met: return "met";
    case Status::NotMet: return "not_met";
    case Status::Unknown: return "unknown";
    case Status::NotApplicable: return "not_applicable";
  }
  return "?";
}

const char* result_status_words(Status s) {
  switch (s) {
    case Status::Met: return "met";
    case Status::NotMet: return "not met";
    case Status::Unknown: return "unknown";
    case Status::NotApplicable: return "not applicable";
  }
  return "?";
}

Status status_of(Truth t) {
  switch (t) {
    case Truth::True: return Status::Met;
    case Truth::False: return Status::NotMet;
    case Truth::Unknown: return Status::Unknown;
  }
  return Status::Unknown;
}

}  // namespace tr
