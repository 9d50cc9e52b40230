#include "server/auth/sasl_authenticator.h"

#include <glog/logging.h>
#include <sasl/sasl.h>
#include <sasl/saslplug.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "server/auth/jaas_config.h"

namespace zk::auth {
namespace {

constexpr char kService[] = "zookeeper";
constexpr char kServerName[] = "zk-sasl-md5";  // also the realm, as in ZooKeeper
constexpr char kMechanism[] = "DIGEST-MD5";
constexpr char kAuxpropName[] = "zkjaas";
constexpr char kDefaultLoginContext[] = "Server";

// The users of the negotiation being stepped on this thread. Cyrus looks the
// password up synchronously inside sasl_server_step, so the plugin reads it
// from here instead of from global state.
thread_local const std::map<std::string, std::string>* current_users = nullptr;

class CurrentUsers {
 public:
  explicit CurrentUsers(const std::map<std::string, std::string>* users) { current_users = users; }
  CurrentUsers(const CurrentUsers&) = delete;
  CurrentUsers& operator=(const CurrentUsers&) = delete;
  ~CurrentUsers() { current_users = nullptr; }
};

// Cyrus hands the user over as "<name>@<realm>"; the JAAS file names <name>.
std::string WithoutRealm(std::string_view user) {
  constexpr std::string_view kSuffix = "@zk-sasl-md5";
  if (user.size() > kSuffix.size() && user.ends_with(kSuffix)) {
    user.remove_suffix(kSuffix.size());
  }
  return std::string(user);
}

// The auxprop plugin: answers "userPassword" for the authentication id.
int AuxpropLookup(void*, sasl_server_params_t* sparams, unsigned flags, const char* user,
                  unsigned ulen) {
  if ((flags & SASL_AUXPROP_AUTHZID) != 0) return SASL_OK;  // no authzid properties
  if (current_users == nullptr) return SASL_NOUSER;
  auto it = current_users->find(WithoutRealm(std::string_view(user, ulen)));
  if (it == current_users->end()) return SASL_NOUSER;
  const propval* props = sparams->utils->prop_get(sparams->propctx);
  if (props == nullptr) return SASL_OK;
  for (const propval* p = props; p->name != nullptr; ++p) {
    if (std::strcmp(p->name, "*userPassword") != 0) continue;
    if (p->values != nullptr) {
      if ((flags & SASL_AUXPROP_OVERRIDE) == 0) continue;
      sparams->utils->prop_erase(sparams->propctx, p->name);
    }
    sparams->utils->prop_set(sparams->propctx, p->name, it->second.data(),
                             static_cast<int>(it->second.size()));
  }
  return SASL_OK;
}

sasl_auxprop_plug_t auxprop_plugin = {
    0, 0, nullptr, nullptr, &AuxpropLookup, const_cast<char*>(kAuxpropName), nullptr};

int AuxpropInit(const sasl_utils_t*, int max_version, int* out_version, sasl_auxprop_plug_t** plug,
                const char*) {
  if (max_version < SASL_AUXPROP_PLUG_VERSION) return SASL_BADVERS;
  *out_version = SASL_AUXPROP_PLUG_VERSION;
  *plug = &auxprop_plugin;
  return SASL_OK;
}

// Settings Cyrus would otherwise read from a config file.
int GetOption(void*, const char*, const char* option, const char** result, unsigned* len) {
  const char* value = nullptr;
  if (std::strcmp(option, "mech_list") == 0) value = kMechanism;
  if (std::strcmp(option, "auxprop_plugin") == 0) value = kAuxpropName;
  if (std::strcmp(option, "pwcheck_method") == 0) value = "auxprop";
  if (value == nullptr) return SASL_FAIL;
  *result = value;
  if (len != nullptr) *len = static_cast<unsigned>(std::strlen(value));
  return SASL_OK;
}

int Log(void*, int level, const char* message) {
  if (level <= SASL_LOG_ERR) {
    LOG(WARNING) << "SASL: " << message;
  } else {
    VLOG(1) << "SASL: " << message;
  }
  return SASL_OK;
}

// ZooKeeper's callback handler authorizes any authorization id; the identity
// it records is the authentication id anyway.
int AllowProxy(sasl_conn_t*, void*, const char*, unsigned, const char*, unsigned, const char*,
               unsigned, struct propctx*) {
  return SASL_OK;
}

using Callback = int (*)();

// Cyrus stores every callback as int(*)(void); going through void(*)() is the
// cast GCC accepts for that.
template <class F>
Callback AsCallback(F* f) {
  return reinterpret_cast<Callback>(reinterpret_cast<void (*)()>(f));
}

const sasl_callback_t kGlobalCallbacks[] = {
    {SASL_CB_GETOPT, AsCallback(&GetOption), nullptr},
    {SASL_CB_LOG, AsCallback(&Log), nullptr},
    {SASL_CB_LIST_END, nullptr, nullptr},
};

const sasl_callback_t kConnectionCallbacks[] = {
    {SASL_CB_PROXY_POLICY, AsCallback(&AllowProxy), nullptr},
    {SASL_CB_LIST_END, nullptr, nullptr},
};

// Cyrus keeps process-wide state; initialise it once.
int InitCyrus() {
  static const int result = [] {
    int r = sasl_server_init(kGlobalCallbacks, kService);
    if (r == SASL_OK) r = sasl_auxprop_add_plugin(kAuxpropName, &AuxpropInit);
    if (r != SASL_OK) {
      LOG(ERROR) << "Cyrus SASL initialisation failed: " << sasl_errstring(r, nullptr, nullptr);
    }
    return r;
  }();
  return result;
}

}  // namespace

// One connection's DIGEST-MD5 exchange.
class SaslAuthenticator::Negotiation {
 public:
  Negotiation() = default;
  Negotiation(const Negotiation&) = delete;
  Negotiation& operator=(const Negotiation&) = delete;
  ~Negotiation() {
    if (conn_ != nullptr) sasl_dispose(&conn_);
  }

  // SASL_CONTINUE or SASL_OK with *out set, or an error code.
  int Step(std::string_view in, std::string* out, std::string* detail) {
    if (conn_ == nullptr) {
      int r = InitCyrus();
      if (r == SASL_OK) {
        r = sasl_server_new(kService, kServerName, kServerName, nullptr, nullptr,
                            kConnectionCallbacks, SASL_SUCCESS_DATA, &conn_);
      }
      if (r != SASL_OK) {
        *detail = sasl_errstring(r, nullptr, nullptr);
        return r;
      }
      // Integrity and privacy layers are not offered, as ZooKeeper's qop "auth".
      sasl_security_properties_t props{};
      props.min_ssf = 0;
      props.max_ssf = 0;
      props.maxbufsize = 0;
      sasl_setprop(conn_, SASL_SEC_PROPS, &props);
    }
    const char* data = nullptr;
    unsigned len = 0;
    int r;
    if (!started_) {
      started_ = true;
      r = sasl_server_start(conn_, kMechanism, in.empty() ? nullptr : in.data(),
                            static_cast<unsigned>(in.size()), &data, &len);
    } else {
      r = sasl_server_step(conn_, in.data(), static_cast<unsigned>(in.size()), &data, &len);
    }
    if (r != SASL_OK && r != SASL_CONTINUE) {
      *detail = sasl_errdetail(conn_);
      return r;
    }
    out->assign(data == nullptr ? "" : data, data == nullptr ? 0 : len);
    return r;
  }

  // The authentication id, once Step returned SASL_OK.
  std::string AuthenticatedUser() const {
    const void* value = nullptr;
    if (sasl_getprop(conn_, SASL_AUTHUSER, &value) != SASL_OK || value == nullptr) return "";
    return WithoutRealm(static_cast<const char*>(value));
  }

 private:
  sasl_conn_t* conn_ = nullptr;
  bool started_ = false;
};

SaslAuthenticator::SaslAuthenticator(SaslServerOptions options) : options_(std::move(options)) {}

SaslAuthenticator::~SaslAuthenticator() = default;

bool SaslAuthenticator::Load(std::string* error) {
  configured_ = false;
  users_.clear();
  const std::string section = options_.login_context.value_or(kDefaultLoginContext);
  if (!options_.jaas_path) {
    if (options_.login_context) {
      *error = "No JAAS configuration section named '" + section +
               "' was found. But zookeeper.sasl.serverconfig was set.";
      return false;
    }
    return true;
  }
  std::ifstream file(*options_.jaas_path);
  std::stringstream text;
  text << file.rdbuf();
  JaasConfig config;
  std::string parse_error;
  if (!file || !ParseJaasConfig(text.str(), &config, &parse_error)) {
    *error = "Cannot read the JAAS configuration '" + *options_.jaas_path +
             "': " + (file ? parse_error : std::string(std::strerror(errno)));
    return false;
  }
  auto it = config.find(section);
  if (it == config.end()) {
    // ZooKeeper then runs without a SASL login, as when no file is named.
    LOG(INFO) << "No JAAS configuration section named '" << section << "' in '"
              << *options_.jaas_path << "'; SASL authentication is not available";
    return true;
  }
  users_ = JaasDigestUsers(it->second);
  configured_ = true;
  return true;
}

void SaslAuthenticator::ForgetClosedConnections() {
  for (auto it = negotiations_.begin(); it != negotiations_.end();) {
    it = it->first.expired() ? negotiations_.erase(it) : std::next(it);
  }
}

SaslReply SaslAuthenticator::Failed(const std::string& reason) {
  LOG(WARNING) << "Client failed to SASL authenticate: " << reason;
  SaslReply reply;
  if (options_.allow_failed_clients) {
    LOG(WARNING) << "Maintaining client connection despite SASL authentication failure.";
    return reply;
  }
  LOG(WARNING) << "Closing client connection due to SASL authentication failure.";
  reply.err = Err::kAuthFailed;
  reply.close = true;
  return reply;
}

SaslReply SaslAuthenticator::Handle(const std::shared_ptr<void>& connection, std::string_view token,
                                    AuthInfo* auth) {
  ForgetClosedConnections();
  if (!configured_) {
    // ZooKeeper has no SASL server for the connection then and answers OK
    // with a null token.
    LOG(ERROR) << "cnxn.saslServer is null: cnxn object did not initialize its saslServer "
                  "properly.";
    return SaslReply{};
  }
  std::unique_ptr<Negotiation>& negotiation = negotiations_[connection];
  if (!negotiation) negotiation = std::make_unique<Negotiation>();
  std::string out;
  std::string detail;
  int r;
  {
    CurrentUsers users(&users_);
    r = negotiation->Step(token, &out, &detail);
  }
  if (r != SASL_OK && r != SASL_CONTINUE) {
    negotiations_.erase(connection);
    return Failed(detail);
  }
  SaslReply reply;
  reply.token = std::move(out);
  reply.token_is_null = false;
  if (r == SASL_OK) {
    std::string user = negotiation->AuthenticatedUser();
    negotiations_.erase(connection);
    LOG(INFO) << "adding SASL authorization for authorizationID: " << user;
    auth->Add(data::Id{"sasl", user});
    if (!options_.super_user.empty() && user == options_.super_user) {
      auth->Add(data::Id{"super", ""});
    }
  }
  return reply;
}

bool SaslIdIsValid(std::string_view id) {
  size_t at = id.find('@');
  if (at == std::string_view::npos) return true;
  // name[/host]@realm, none of the parts holding '/' or '@' beyond that.
  std::string_view principal = id.substr(0, at);
  std::string_view realm = id.substr(at + 1);
  if (realm.find_first_of("/@") != std::string_view::npos) return false;
  size_t slash = principal.find('/');
  return slash == std::string_view::npos ||
         principal.substr(slash + 1).find('/') == std::string_view::npos;
}

bool SaslMatches(std::string_view id, std::string_view acl_expr) {
  return id == "super" || id == acl_expr;
}

}  // namespace zk::auth
