-- Used by 32_unknown_lua_function.rules.
function attendance_risk_score(attendance, pa)
  return 1
end

function weighted_review()
  return true
end
