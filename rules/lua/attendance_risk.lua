-- Attendance risk: a score from 0 (no concern) to 5 (a serious concern) that
-- the tier descriptors use, e.g. Tier 4 "Attendance risk is high":
--
--   attendance_risk(attendance, persistently_absent,
--                   national(attendance), national(persistently_absent)) >= 3
--
-- Points (percentages are percentage values: 95.2 means 95.2%):
--   +1  attendance below national;            +1 more when over 2 points below
--   +1  persistent absence above national;    +1 more when over 5 points above
--   +1  the gap to national widened since the previous period (either measure);
--       this point needs the previous values (arguments 5-8), else it is not scored
-- "Close to national" in the trust's tier descriptors is within 2 points for
-- attendance; persistent absence moves in larger steps, hence 5.
--
-- Unknown in, unknown out: if any value given is unknown the score is unknown
-- and carries the reasons. A score from half the data would look surer than it is.

local WELL_BELOW_ATTENDANCE = 2  -- points below national
local WELL_ABOVE_PA = 5          -- points above national

tr.declare("attendance_risk", "number")

-- Gaps are rounded to a thousandth of a point so that 95.1 - 93.1 counts as
-- exactly 2 points (binary floating point would make it 2.0000000000000018).
local function gap(a, b)
  return math.floor((a - b) * 1000 + 0.5) / 1000
end

local function points_text(x)
  return string.format("%.1f point%s", x, x == 1 and "" or "s")
end

local function check(name, v, optional)
  if v == nil and optional then return end
  if type(v) ~= "number" and not tr.is_unknown(v) then
    error(string.format("attendance_risk: %s must be a number, not %s", name, type(v)), 3)
  end
end

-- The points and, when `since` names the previous period, the sentence that
-- gives them; or an unknown. prev_nat_att and prev_nat_pa default to this
-- period's national values. The expression function needs no sentence, and a
-- national run calls it for every school: the sentence is made only when asked for.
local function score(since, att, pa, nat_att, nat_pa, prev_att, prev_pa, prev_nat_att, prev_nat_pa)
  check("attendance", att)
  check("persistent absence", pa)
  check("national attendance", nat_att)
  check("national persistent absence", nat_pa)
  check("previous attendance", prev_att, true)
  check("previous persistent absence", prev_pa, true)
  check("previous national attendance", prev_nat_att, true)
  check("previous national persistent absence", prev_nat_pa, true)
  local u = tr.any_unknown(att, pa, nat_att, nat_pa, prev_att, prev_pa, prev_nat_att, prev_nat_pa)
  if u then return u end

  local points, parts = 0, since and {} or nil
  local att_gap = gap(nat_att, att)  -- > 0: below national
  if att_gap > 0 then
    points = points + (att_gap > WELL_BELOW_ATTENDANCE and 2 or 1)
    if parts then
      parts[#parts + 1] = string.format("attendance %.1f%% is %s below national %.1f%%",
                                        att, points_text(att_gap), nat_att)
    end
  elseif parts then
    parts[#parts + 1] = string.format("attendance %.1f%% is at or above national %.1f%%", att, nat_att)
  end
  local pa_gap = gap(pa, nat_pa)  -- > 0: above national
  if pa_gap > 0 then
    points = points + (pa_gap > WELL_ABOVE_PA and 2 or 1)
    if parts then
      parts[#parts + 1] = string.format("persistent absence %.1f%% is %s above national %.1f%%",
                                        pa, points_text(pa_gap), nat_pa)
    end
  elseif parts then
    parts[#parts + 1] = string.format("persistent absence %.1f%% is at or below national %.1f%%",
                                      pa, nat_pa)
  end
  local widened  -- nil: no previous values to judge the trend by
  if prev_att ~= nil and prev_pa ~= nil then
    local prev_att_gap = gap(prev_nat_att or nat_att, prev_att)
    local prev_pa_gap = gap(prev_pa, prev_nat_pa or nat_pa)
    widened = att_gap > prev_att_gap or pa_gap > prev_pa_gap
    if widened then points = points + 1 end
  end
  if not parts then return points end
  if widened == nil then
    parts[#parts + 1] = "no previous period to judge the trend"
  else
    parts[#parts + 1] = (widened and "the gap to national widened since "
                                  or "the gap to national did not widen since ") .. since
  end
  return points, table.concat(parts, "; ") .. string.format(": risk %d of 5", points)
end

-- The score alone, for expressions.
function attendance_risk(att, pa, nat_att, nat_pa, prev_att, prev_pa, prev_nat_att, prev_nat_pa)
  return (score(nil, att, pa, nat_att, nat_pa, prev_att, prev_pa, prev_nat_att, prev_nat_pa))
end

-- The value before the current one in a school's history (the last point is
-- the current value), with its period; nil when there is none.
local function previous(history)
  if history == nil or #history < 2 then return nil end
  local p = history[#history - 1]
  return p.value, p.period
end

local function metric(school, name)
  local v = school[name]
  if v == nil then
    error(string.format("attendance_risk_rule: school %s has no '%s' value", school.urn, name), 2)
  end
  return v
end

-- Whole rule (`met by lua "attendance_risk_rule"`): met when the risk is 0-2,
-- not met at 3 or more; the previous values come from the school's history.
function attendance_risk_rule(school)
  local att = metric(school, "attendance")
  local pa = metric(school, "persistently_absent")
  local national = school.benchmarks.national
  if national == nil or national.attendance == nil or national.persistently_absent == nil then
    return tr.unknown(string.format("no national attendance benchmark for %s schools", school.phase))
  end
  local prev_att, period = previous(school.history.attendance)
  local prev_pa = previous(school.history.persistently_absent)
  local points, why = score(period or "the previous period", att, pa, national.attendance,
                            national.persistently_absent, prev_att, prev_pa)
  if tr.is_unknown(points) then return points end
  local values = {
    risk = points,
    attendance = att,
    persistently_absent = pa,
    national_attendance = national.attendance,
    national_persistently_absent = national.persistently_absent,
  }
  if points <= 2 then return tr.met(why, values) end
  return tr.not_met(why, values)
end
