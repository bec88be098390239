-- Variability index: how widely a measure spreads across the trust's schools,
-- as the coefficient of variation (standard deviation / mean x 100). The trust
-- KPI is "a variability index across schools that falls year-on-year": schools
-- converging on one another, whatever their average.
--
-- The standard deviation is the population one: the schools are the whole
-- trust, not a sample of it. Unknown values are skipped and counted, never
-- treated as zero; with fewer than two known values, or a mean of zero, the
-- index itself is unknown.

tr.declare("variability_index", "percent")

local MIN_KNOWN = 2

-- Index of a list of values (numbers or unknowns). Returns the index or an
-- unknown, then the statistics: known count, unknown count, mean, standard
-- deviation, and the list of unknown reasons.
local function index_of(values)
  local n, sum, reasons = 0, 0, {}
  for _, v in ipairs(values) do
    if tr.is_unknown(v) then
      reasons[#reasons + 1] = tr.reason(v)
    elseif type(v) == "number" then
      n = n + 1
      sum = sum + v
    else
      error("variability_index: values must be numbers or unknown, not " .. type(v), 3)
    end
  end
  if n < MIN_KNOWN then
    return tr.unknown(string.format("only %d known value%s (%d unknown)", n, n == 1 and "" or "s",
                                    #reasons)), n, #reasons, nil, nil, reasons
  end
  local mean = sum / n
  local squares = 0
  for _, v in ipairs(values) do
    if type(v) == "number" then squares = squares + (v - mean) ^ 2 end
  end
  local sd = math.sqrt(squares / n)
  if mean == 0 then
    return tr.unknown("the mean is zero, so the variation has no scale"), n, #reasons, mean, sd,
           reasons
  end
  return sd / math.abs(mean) * 100, n, #reasons, mean, sd, reasons
end

-- For a kpi: `value variability_index(attendance)` gets one value per school
-- (unknowns included) and returns the index. (The name `variability` is the
-- built-in's; a Lua function cannot take a built-in's name.)
function variability_index(values)
  return (index_of(values))
end

-- The value before the current one in a history (the last point is current).
local function previous(history)
  if history == nil or #history < 2 then
    return tr.unknown("no previous value")
  end
  return history[#history - 1].value
end

local function describe(index)
  if tr.is_unknown(index) then return "unknown (" .. tr.reason(index) .. ")" end
  return string.format("%.2f%%", index)
end

-- Whole KPI for engine code (LuaSandbox::call_kpi("variability_kpi", schools,
-- {"attendance"})): this year's index as the value; met when it is lower than
-- last year's, computed the same way from each school's previous value.
function variability_kpi(schools, metric)
  if type(metric) ~= "string" then
    error("variability_kpi: the second argument is the metric name", 2)
  end
  local current, before, unknown_urns = {}, {}, {}
  for _, school in ipairs(schools) do
    local v = school[metric]
    if v == nil then v = tr.unknown("no " .. metric .. " value") end
    if tr.is_unknown(v) then
      unknown_urns[#unknown_urns + 1] = string.format("%s (%s)", school.urn, tr.reason(v))
    end
    current[#current + 1] = v
    before[#before + 1] = previous(school.history[metric])
  end
  local index, n, unknowns, mean, sd = index_of(current)
  local prev_index = index_of(before)

  local reason = string.format("variability of %s across %d schools is %s", metric, #schools,
                               describe(index))
  if unknowns > 0 then
    reason = reason .. string.format("; %d unknown, skipped: %s", unknowns,
                                     table.concat(unknown_urns, ", "))
  end
  reason = reason .. "; the year before it was " .. describe(prev_index)

  local values = { known = n, unknown = unknowns, previous = prev_index }
  if mean then values.mean = mean end
  if sd then values.standard_deviation = sd end
  local result = { value = index, reason = reason, values = values }
  if tr.is_unknown(index) or tr.is_unknown(prev_index) then
    result.status = "unknown"
  elseif index < prev_index then
    result.status = "met"
  else
    result.status = "not_met"
  end
  return result
end
