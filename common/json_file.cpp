#include "common/json_file.hpp"

#include <cstring>
#include <vector>

#include "common/error.hpp"
#include "common/input_file.hpp"
#include "common/user_text.hpp"

namespace uibnas::common {
namespace {

using json = nlohmann::json;

// Follows the parser through the document so that errors can name the JSON path they arise at.
class PathTracker {
 public:
  std::string path() const {
    std::string p;
    for (const auto& f : frames_) p += "/" + (f.is_array ? std::to_string(f.index) : excerpt(f.key));
    return p.empty() ? "/" : p;
  }
  size_t depth() const { return frames_.size(); }
  void open(bool is_array) { frames_.push_back({is_array, 0, {}}); }
  void key(const std::string& k) { frames_.back().key = k; }
  void close() {
    frames_.pop_back();
    element_done();
  }
  void element_done() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

 private:
  struct Frame {
    bool is_array;
    size_t index;
    std::string key;
  };
  std::vector<Frame> frames_;
};

}  // namespace

json parse_json_text(const std::string& text, const std::string& source, const std::string& what,
                     const JsonKeyObserver& on_key) {
  if (const void* nul = std::memchr(text.data(), '\0', text.size()))
    throw InputError(with_context(source, what + " is not valid JSON (a NUL byte at offset " +
                                              std::to_string(static_cast<const char*>(nul) - text.data()) + ")"));
  PathTracker at;
  const json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (at.depth() >= static_cast<size_t>(kMaxJsonDepth))
          throw InputError(with_context(source, what + " nests deeper than " + std::to_string(kMaxJsonDepth) +
                                                    " levels at " + at.path()));
        at.open(event == json::parse_event_t::array_start);
        break;
      case json::parse_event_t::key:
        at.key(parsed.get<std::string>());
        if (on_key) on_key(at.depth(), parsed.get_ref<const std::string&>());
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end: at.close(); break;
      case json::parse_event_t::value: at.element_done(); break;
    }
    return true;
  };
  try {
    return json::parse(text, check);
  } catch (const json::parse_error& e) {
    // The parser's message quotes the token it stopped in, which may be a whole megabyte-long string.
    throw InputError(with_context(source, what + " is not valid JSON (" + excerpt(e.what(), 240) + ")"));
  } catch (const json::out_of_range&) {  // a number beyond a double (1e400); the tracker stands at its path
    throw InputError(with_context(source, at.path() + ": number out of range (it does not fit a double)"));
  }
}

json read_json_file(const std::string& path, const std::string& what) {
  return parse_json_text(InputFile(path, kMaxJsonFileBytes, what).read_all(), path, what);
}

int json_int(const nlohmann::json& v, const std::string& where) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() ? v.get<uint64_t>() <= uint64_t(INT32_MAX)
                               : v.get<int64_t>() >= INT32_MIN && v.get<int64_t>() <= INT32_MAX)
      return static_cast<int>(v.get<int64_t>());
  } else if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d >= INT32_MIN && d <= INT32_MAX && d == static_cast<double>(static_cast<int>(d))) return static_cast<int>(d);
  }
  throw InputError(where + ": expected an integer between " + std::to_string(INT32_MIN) + " and " +
                   std::to_string(INT32_MAX));
}

}  // namespace uibnas::common
