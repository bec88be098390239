// load_data: reads every data file a source matches, by header name, into a
// Dataset. Every error names file, row and column; any error makes the whole
// load fail so that nothing is evaluated on half-read data.
#include "data_loader_internal.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace tr {

namespace data_detail {

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

FileErrors::~FileErrors() {
  if (count_ > kMaxErrorsPerFile)
    diags_.error_at(path_, std::to_string(count_ - kMaxErrorsPerFile) + " more errors in this file");
}

void FileErrors::at(uint32_t row, uint32_t col, std::string message, std::string hint) {
  if (++count_ > kMaxErrorsPerFile) return;
  std::string where = path_;
  if (row) where += ":" + std::to_string(row);
  if (row && col) where += ":" + std::to_string(col);
  diags_.error_at(std::move(where), std::move(message), std::move(hint));
}

std::string binding_name(const ColumnBinding& b) {
  std::string s = b.metric.text;
  if (!b.group.text.empty()) s += "." + b.group.text;
  if (!b.bound.text.empty()) s += "." + b.bound.text;
  return s;
}

uint32_t Loader::code_index(const std::string& code, const std::string& reason) {
  auto [it, fresh] = code_ids_.try_emplace({code, reason}, static_cast<uint32_t>(out_.codes.size()));
  if (fresh) out_.codes.push_back({code, reason});
  return it->second;
}

int Loader::benchmark_id(const Name& n) const {
  int i = rs_.find(rs_.benchmark_index, n.text);
  if (i >= 0) return i;
  // The two built-in comparators have fixed indexes (ruleset.h).
  if (n.text == "national") return 0;
  if (n.text == "local_authority") return 1;
  return -1;
}

Plan Loader::plan(const Source& s, int order) {
  Plan p;
  p.src = &s;
  p.order = order;
  std::string blank_reason = "empty cell";
  for (const auto& m : s.missing) {
    if (m.code.empty()) blank_reason = m.reason.empty() ? blank_reason : m.reason;
    else p.codes.push_back({m.code, code_index(m.code, m.reason)});
  }
  p.blank_code = code_index("", blank_reason);
  p.short_code = code_index("", "the row ends before this column");
  if (s.role == SourceRole::Overrides) return p;
  for (const auto& b : s.columns) {
    Plan::Bind bind;
    bind.b = &b;
    int m = rs_.find(rs_.metric_index, b.metric.text);
    if (m < 0) {
      diags_.error(b.span, "source '" + s.id.text + "' binds unknown metric '" + b.metric.text + "'");
      p.ok = false;
      continue;
    }
    const Metric& metric = *rs_.metrics[m];
    int group = 0;
    if (!b.group.text.empty()) {
      for (size_t g = 0; g < metric.groups.size(); ++g)
        if (metric.groups[g].text == b.group.text) group = static_cast<int>(g) + 1;
      if (group == 0) {
        diags_.error(b.group.span, "metric '" + metric.id.text + "' has no group '" + b.group.text + "'");
        p.ok = false;
        continue;
      }
    }
    int bound = b.bound.text == "lower" ? 1 : b.bound.text == "upper" ? 2 : 0;
    bind.series = out_.series.of(rs_, m, group, bound);
    if (bind.series < 0) {
      diags_.error(b.span, "'" + binding_name(b) + "' is not a value of metric '" + metric.id.text + "'");
      p.ok = false;
      continue;
    }
    bind.type = metric.type;
    if (metric.type == MetricType::Grade) {
      int sc = rs_.find(rs_.scale_index, metric.scale.text);
      if (sc < 0) {
        diags_.error(metric.scale.span, "unknown scale '" + metric.scale.text + "'");
        p.ok = false;
        continue;
      }
      bind.grades = std::make_unique<GradeTable>(*rs_.scales[sc]);
    }
    p.binds.push_back(std::move(bind));
  }
  for (const auto& r : s.rows) {
    int b = -1;
    if (r.kind == RowKindTag::Benchmark) {
      b = benchmark_id(r.benchmark);
      if (b < 0) {
        diags_.error(r.benchmark.span, "unknown benchmark '" + r.benchmark.text + "'");
        p.ok = false;
      }
    }
    p.row_benchmark.push_back(b);
  }
  return p;
}

void Loader::take(size_t k, FileRead& r) {
  for (const auto& [where, d] : r.diags.unplaced()) diags_.error_at(where, d.message, d.hint);
  {
    FileErrors err(diags_, out_.files[k].path);
    build_.take(std::move(r.part), [&](const Cell& kept, const Cell& clash) { conflict_error(err, kept, clash); });
  }
  warnings_.insert(warnings_.end(), std::make_move_iterator(r.warnings.begin()), std::make_move_iterator(r.warnings.end()));
  for (Override& o : r.overrides) {
    override_rows_.emplace_back(o.urn, static_cast<uint32_t>(k));
    out_.overrides.push_back(std::move(o));
  }
  if (r.sum && report_) report_->files.push_back(std::move(*r.sum));
  r = FileRead(0);  // its memory goes now, not at the end
}

bool Loader::run(const std::vector<std::string>& paths) {
  size_t errors_before = diags_.error_count();

  std::vector<DataPath> files = list_data_files(paths, diags_);
  std::vector<Plan> plans;
  for (size_t i = 0; i < rs_.data_sources.size(); ++i) plans.push_back(plan(*rs_.data_sources[i], int(i)));
  for (const auto& p : plans)
    if (!p.ok) return false;

  std::vector<bool> matched(files.size(), false);
  // Source order, then file order: attributes come from the first source that
  // has them, and everything is decided and reported in this order.
  struct Job {
    const Plan* plan;
    size_t file;
  };
  std::vector<Job> jobs;
  for (const auto& p : plans)
    for (size_t f = 0; f < files.size(); ++f)
      if (source_matches(p.src->files, files[f])) {
        matched[f] = true;
        jobs.push_back({&p, f});
      }
  if (jobs.size() > kMaxFiles) {  // a cell keeps its file in 16 bits (dataset.h)
    diags_.error_at(paths.empty() ? std::string("data") : paths[0],
                    std::to_string(jobs.size()) + " data files match the sources; at most " +
                        std::to_string(kMaxFiles) + " are read in one run",
                    "evaluate a region or a few years at a time");
    return false;
  }
  for (const Job& j : jobs) out_.files.push_back({files[j.file].path, j.plan->src->id.text, {}, 0});
  out_.places.assign(1, Place{});
  for (const Job& j : jobs) {
    place_base_.push_back(out_.places.size());
    out_.places.resize(out_.places.size() + j.plan->binds.size());
  }
  if (out_.places.size() > kMaxPlaces + 1) {  // a cell keeps its file and column in 16 bits (dataset.h)
    diags_.error_at(paths.empty() ? std::string("data") : paths[0],
                    std::to_string(out_.places.size() - 1) + " columns are bound in the " + std::to_string(jobs.size()) +
                        " data files that match the sources (each file's bound columns count); at most " +
                        std::to_string(kMaxPlaces) + " are read in one run",
                    "evaluate a region or a few years at a time");
    return false;
  }

  // Files are read in parallel, each into its own FileRead, and taken in
  // order as each is ready, so that errors, warnings and every choice between
  // files come out as if they had been read one by one, and only the files
  // being read are held apart at once.
  std::vector<FileRead> reads;
  reads.reserve(jobs.size());
  for (size_t k = 0; k < jobs.size(); ++k) reads.emplace_back(out_.series.count);
  std::vector<char> done(jobs.size(), 0);
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex mu;
  std::condition_variable ready;
  auto work = [&] {
    PageBuffer text;
    for (size_t k; (k = next.fetch_add(1)) < jobs.size();) {
      try {
        read(*jobs[k].plan, files[jobs[k].file], static_cast<uint32_t>(k), reads[k], text);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!failure) failure = std::current_exception();
        next.store(jobs.size());
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        done[k] = 1;
      }
      ready.notify_one();
    }
  };
  const size_t threads = std::min<size_t>({jobs.size(), std::max(1u, std::thread::hardware_concurrency()), 8});
  std::vector<std::thread> pool;
  struct Join {  // the workers finish before their FileReads go, however this ends
    std::vector<std::thread>& pool;
    std::atomic<size_t>& next;
    size_t end;
    ~Join() {
      next.store(end);
      for (auto& t : pool) t.join();
    }
  } join{pool, next, jobs.size()};
  for (size_t i = 0; i < threads; ++i) pool.emplace_back(work);  // may throw: the ones started are joined
  for (size_t k = 0; k < reads.size(); ++k) {
    {
      std::unique_lock<std::mutex> lock(mu);
      ready.wait(lock, [&] { return done[k] || failure; });
      if (failure) std::rethrow_exception(failure);
    }
    take(k, reads[k]);
  }
  for (size_t f = 0; f < files.size(); ++f)
    if (!matched[f] && report_) report_->unmatched_files.push_back(files[f].path);

  for (const auto& [urn, file] : override_rows_)
    if (!build_.has_school(urn))
      warnings_.push_back(out_.files[file].path + ": override for school " + urn +
                          ", which no data file has");
  // Two known values for one school, metric and period are found as the cells
  // are laid out; reported file by file, in the order they were read.
  std::unique_ptr<FileErrors> err;
  uint32_t err_file = UINT32_MAX;
  build_.finish([&](const Cell& kept, const Cell& clash) {
    const uint32_t clash_file = out_.provenance(clash).file;
    if (clash_file != err_file) {
      err.reset();
      err_file = clash_file;
      err = std::make_unique<FileErrors>(diags_, out_.files[err_file].path);
    }
    conflict_error(*err, kept, clash);
  });
  err.reset();
  if (report_) report_->warnings.insert(report_->warnings.end(), warnings_.begin(), warnings_.end());
  return diags_.error_count() == errors_before;
}

}  // namespace data_detail

bool load_data(const Ruleset& rs, const std::vector<std::string>& paths, Dataset& out,
               Diagnostics& diags, LoadReport* report) {
  out = Dataset{};
  out.series.build(rs);
  data_detail::Loader loader(rs, out, diags, report);
  return loader.run(paths);
}

}  // namespace tr
