// The HTML report of the sample trust, end to end: rendered through the library,
// checked to reference nothing outside itself, then opened in headless Chromium
// — the DOM it builds must carry every school, tier and status, and printing it
// must give a sane number of A4 pages. Chromium is installed by scripts/setup.sh;
// when it is missing these tests fail rather than skip, because an untested
// report is what they exist to prevent.
#include "eval_run.h"
#include "report_html.h"

#include <catch2/catch.hpp>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/wait.h>

using namespace tr;
namespace fs = std::filesystem;

namespace {

struct Sample {
  Run run;
  EvaluationResult result;
  std::string html;
};

// The sample trust, evaluated once for every test in this file.
const Sample& sample() {
  static const std::unique_ptr<Sample> s = [] {
    auto out = std::make_unique<Sample>();
    RunOptions o;
    o.rules = std::string(TRUSTRULES_SOURCE_DIR) + "/rules/trust.rules";
    o.data = {std::string(TRUSTRULES_SOURCE_DIR) + "/samples/trust"};
    std::string messages;
    int rc = prepare_run(o, out->run, messages);
    if (rc != 0) throw std::runtime_error("the sample trust did not load:\n" + messages);
    EvalOptions eo;
    eo.as_of = out->run.as_of;
    eo.jobs = 1;
    eo.lua = out->run.lua;
    out->result = evaluate(out->run.plan, eo);
    out->html = report_html(out->result, *out->run.rules, out->run.data);
    return out;
  }();
  return *s;
}

// A fresh folder under the system temp folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "trustrules-html-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The browser, or "" when none is installed.
std::string find_chromium() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return {};
}

// Runs headless Chromium on `html` with `action` (--dump-dom, --print-to-pdf=…),
// with a fresh profile and nothing that would reach the network. Returns the
// exit status; stdout goes to `out`.
int run_chromium(const std::string& browser, const TempDir& dir, const fs::path& html, const std::string& action,
                 std::string& out) {
  fs::path profile = dir.path / "profile";
  fs::path stdout_file = dir.path / "chromium.out";
  fs::path stderr_file = dir.path / "chromium.err";
  std::string cmd = "timeout 60 " + browser +
                    " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                    " --disable-background-networking --disable-component-update --disable-sync"
                    " --no-pdf-header-footer --user-data-dir=" +
                    quote(profile.string()) + " " + action + " " + quote("file://" + html.string()) + " >" +
                    quote(stdout_file.string()) + " 2>" + quote(stderr_file.string());
  int status = std::system(cmd.c_str());
  out = read_file(stdout_file);
  int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (rc != 0) UNSCOPED_INFO("chromium failed (" << rc << "): " << read_file(stderr_file));
  return rc;
}

fs::path write_sample(const TempDir& dir) {
  fs::path html = dir.path / "report.html";
  std::ofstream(html, std::ios::binary) << sample().html;
  return html;
}

std::string require_chromium() {
  std::string browser = find_chromium();
  if (browser.empty())
    FAIL("headless Chromium is not installed (Debian package `chromium`); run scripts/setup.sh, which installs it");
  return browser;
}

}  // namespace

TEST_CASE("the HTML report references nothing outside itself", "[html]") {
  const std::string& html = sample().html;
  REQUIRE(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<iframe") == std::string::npos);
  CHECK(html.find("<object") == std::string::npos);
  CHECK(html.find("@font-face") == std::string::npos);

  // url(…) only as data: URLs; src= only data:; href= only to a fragment in the page.
  std::smatch m;
  std::regex url(R"(url\(\s*['"]?([^'")\s]*))", std::regex::icase);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator(); ++it)
    CHECK((*it)[1].str().rfind("data:", 0) == 0);
  std::regex src(R"((?:src|srcset|xlink:href|action|poster)\s*=\s*["']?([^"'\s>]*))", std::regex::icase);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), src); it != std::sregex_iterator(); ++it)
    CHECK((*it)[1].str().rfind("data:", 0) == 0);
  std::regex href(R"(href\s*=\s*["']?([^"'\s>]*))", std::regex::icase);
  int links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator(); ++it) {
    std::string target = (*it)[1].str();
    INFO(target);
    REQUIRE(!target.empty());
    CHECK(target[0] == '#');
    // Every in-page link lands on an element of the page.
    CHECK(html.find("id=\"" + target.substr(1) + "\"") != std::string::npos);
    ++links;
  }
  CHECK(links == static_cast<int>(sample().result.schools.size()));  // the summary links each card
  CHECK(html.find("http:") == std::string::npos);
  CHECK(html.find("https:") == std::string::npos);
  CHECK(html.find("file:") == std::string::npos);
}

TEST_CASE("the HTML report has the structure people and screen readers navigate by", "[html]") {
  const std::string& html = sample().html;
  auto count = [&](const std::string& needle) {
    int n = 0;
    for (size_t p = html.find(needle); p != std::string::npos; p = html.find(needle, p + 1)) ++n;
    return n;
  };
  CHECK(count("<h1") == 1);
  // One h2 for the trust summary and one per academy.
  CHECK(count("<h2") == 1 + static_cast<int>(sample().result.schools.size()));
  CHECK(count("<section class=\"page academy\"") == static_cast<int>(sample().result.schools.size()));
  CHECK(count("<th scope=\"col\"") > 50);
  CHECK(count("<th scope=\"row\"") > 100);
  CHECK(count("<th>") == 0);  // every header cell says what it heads
  // Charts carry a text alternative.
  CHECK(count("<svg ") == count("<title id="));
  CHECK(count("<svg ") == count("<desc id="));
  CHECK(count("<svg ") >= 1 + 2 * static_cast<int>(sample().result.schools.size()));
  // Print: A4, a page per academy, nothing split that need not be.
  CHECK(html.find("size: A4") != std::string::npos);
  CHECK(html.find("break-before: page") != std::string::npos);
  CHECK(html.find("break-inside: avoid") != std::string::npos);
  // Status by symbol and words, not colour alone.
  CHECK(html.find("✔</span> met") != std::string::npos);
  CHECK(html.find("✘</span> not met") != std::string::npos);
  CHECK(html.find("?</span> unknown") != std::string::npos);
  CHECK(html.find("DRAFT — not approved") != std::string::npos);
  CHECK(html.find("no earlier run") != std::string::npos);
}

TEST_CASE("the HTML report in headless Chromium: the DOM has every school, tier and status", "[html][browser]") {
  std::string browser = require_chromium();
  TempDir dir;
  fs::path html = write_sample(dir);
  std::string dom;
  REQUIRE(run_chromium(browser, dir, html, "--dump-dom", dom) == 0);
  REQUIRE(dom.find("</html>") != std::string::npos);
  for (const auto& s : sample().result.schools) {
    INFO(s.urn);
    CHECK(dom.find(s.name) != std::string::npos);
    CHECK(dom.find("id=\"school-" + s.urn + "\"") != std::string::npos);
    std::string tier = s.tier.number ? "Tier " + std::to_string(s.tier.number) + " " + s.tier.label : "Tier unknown";
    CHECK(dom.find(tier) != std::string::npos);
  }
  for (const char* status : {"✔</span> met", "✘</span> not met", "?</span> unknown", "–</span> not applicable"})
    CHECK(dom.find(status) != std::string::npos);
  CHECK(dom.find("DRAFT — not approved") != std::string::npos);
  // The override at Millbrook Junior is shown with its reason and approver.
  CHECK(dom.find("Headteacher resigned at Christmas") != std::string::npos);
  CHECK(dom.find("minute TB/25/014") != std::string::npos);
  CHECK(dom.find("Meridian Learning Trust") != std::string::npos);
}

TEST_CASE("the HTML report in headless Chromium: it prints on A4, a card per academy", "[html][browser]") {
  std::string browser = require_chromium();
  TempDir dir;
  fs::path html = write_sample(dir);
  fs::path pdf = dir.path / "report.pdf";
  std::string out;
  REQUIRE(run_chromium(browser, dir, html, "--print-to-pdf=" + quote(pdf.string()), out) == 0);
  REQUIRE(fs::exists(pdf));
  std::string bytes = read_file(pdf);
  REQUIRE(bytes.rfind("%PDF-", 0) == 0);
  // Page objects ("/Type /Page", not the "/Type /Pages" tree nodes). Scanned by
  // hand: a PDF is megabytes, too much for std::regex.
  long pages = 0;
  for (size_t p = bytes.find("/Type"); p != std::string::npos; p = bytes.find("/Type", p + 1)) {
    size_t q = p + 5;
    while (q < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[q]))) ++q;
    if (bytes.compare(q, 5, "/Page") == 0 && (q + 5 >= bytes.size() || !std::isalpha(static_cast<unsigned char>(bytes[q + 5]))))
      ++pages;
  }
  INFO(pages << " pages");
  CHECK(pages >= 1 + static_cast<long>(sample().result.schools.size()));  // the summary, then a card each
  CHECK(pages < 60);
  // Every page is A4: 595 x 842 points (Chromium writes 594.96 x 841.92).
  int boxes = 0;
  for (size_t p = bytes.find("/MediaBox"); p != std::string::npos; p = bytes.find("/MediaBox", p + 1), ++boxes) {
    double x0 = -1, y0 = -1, w = 0, h = 0;
    REQUIRE(std::sscanf(bytes.c_str() + p, "/MediaBox [%lf %lf %lf %lf]", &x0, &y0, &w, &h) == 4);
    CHECK(w == Approx(595).margin(1));
    CHECK(h == Approx(842).margin(1));
  }
  CHECK(boxes >= 1);
}
