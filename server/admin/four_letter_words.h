// ZooKeeper's four-letter words ("ruok", "srvr", "mntr", ...): which are
// known, which a server allows, and the exact bytes ZooKeeper 3.8 answers.
// Rendering is pure: the server fills a ServerStatsView and sends the
// returned text, then closes the connection, as Apache does. A server
// handles a connection whose first four bytes spell a word like this:
//   word = FourLetterWordFromLength(first_int)   (nullopt: a normal client)
//   if !whitelist.IsAllowed(word): send NotWhitelistedResponse(word)
//   else if word is "telnet close": just close
//   else if word is "stmk": read the 8-byte mask, send RenderTraceMask(mask)
//   else: do crst/srst's reset, send *RenderFourLetterWord(word, view)
//
// One deliberate difference from Apache 3.8: srvr and stat print the average
// latency as a whole number ("Latency min/avg/max: 0/7/50"; Apache prints
// the double "0/7.6667/50"). go-zookeeper's FLWSrvr only matches
// (\d+)/(\d+)/(\d+) there, and parsers that expect a decimal also accept an
// integer. mntr keeps Apache's decimal zk_avg_latency.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/admin/server_stats_view.h"

namespace zk::admin {

// AbstractFourLetterCommand.ZK_NOT_SERVING.
inline constexpr std::string_view kNotServing =
    "This ZooKeeper instance is not currently serving requests";

// Every word ZooKeeper 3.8 knows, i.e. what a "*" whitelist enables. This
// includes "telnet close" (the bytes telnet sends when it quits), which a
// server answers by closing the connection.
const std::vector<std::string>& KnownFourLetterWords();
bool IsKnownFourLetterWord(std::string_view word);

// A connection's first four bytes, read as the big-endian frame length,
// name a four-letter word when they spell a known one. Returns the word.
std::optional<std::string> FourLetterWordFromLength(int32_t length);

// The 4lw.commands.whitelist rules (FourLetterCommands.isEnabled): the
// comma separated names, trimmed; "*" enables every known word; "srvr" is
// always enabled (zkServer.sh status needs it), and "isro" too when read-only
// mode is enabled. Unset means only those.
class FourLetterWordWhitelist {
 public:
  FourLetterWordWhitelist(const std::optional<std::string>& setting, bool read_only_mode_enabled);

  bool IsAllowed(std::string_view word) const;
  const std::set<std::string, std::less<>>& allowed() const { return allowed_; }

 private:
  std::set<std::string, std::less<>> allowed_;
};

bool IsFourLetterWordAllowed(std::string_view word, const std::optional<std::string>& setting,
                             bool read_only_mode_enabled);

// What ZooKeeper sends for a known word that is not whitelisted:
// "<word> is not executed because it is not in the whitelist.\n".
std::string NotWhitelistedResponse(std::string_view word);

// One renderer per word; each returns the full response.
std::string RenderRuok();
std::string RenderSrvr(const ServerStatsView& view);
std::string RenderStat(const ServerStatsView& view);
std::string RenderCons(const ServerStatsView& view);
std::string RenderConf(const ServerStatsView& view);
std::string RenderEnvi(const ServerStatsView& view);
std::string RenderMntr(const ServerStatsView& view);
std::string RenderWchs(const ServerStatsView& view);
std::string RenderWchc(const ServerStatsView& view);
std::string RenderWchp(const ServerStatsView& view);
std::string RenderDirs(const ServerStatsView& view);
std::string RenderIsro(const ServerStatsView& view);
std::string RenderDump(const ServerStatsView& view);
// The server resets its connection (crst) or server (srst) statistics when
// serving, then sends this.
std::string RenderCrst(const ServerStatsView& view);
std::string RenderSrst(const ServerStatsView& view);
// gtmk's answer, and stmk's after setting the mask from the 8 bytes that
// follow the word.
std::string RenderTraceMask(int64_t mask);

// The renderer for `word`. Returns nullopt for words this cannot answer
// alone: "stmk" (needs its argument) and "telnet close" (just close), and
// for unknown words.
std::optional<std::string> RenderFourLetterWord(std::string_view word, const ServerStatsView& view);

// One connection as Apache's ServerCnxn.dumpConnectionInfo prints it, without
// a line break; `brief` leaves out the session fields (stat's form).
std::string FormatConnection(const ConnectionView& connection, bool brief);

}  // namespace zk::admin
