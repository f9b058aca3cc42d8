package dev.patguard.cli.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patguard.cli.PatGuardCli;
import dev.patguard.token.SecretDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code patguard invalidate}: evicts a revoked token from every replica of a fleet at once. Only
 * options and output here; what talks to Redis is {@link FleetInvalidation}, loaded only when this
 * command runs, so that {@code check} never loads Lettuce or Netty.
 */
@Command(
    name = "invalidate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Evicts a token from a fleet's shared cache (patguard-redis) and from the own cache of every"
          + " replica subscribed to its invalidations, after the token was revoked in BRMS.",
      "By secret (--token-env NAME, default $PATGUARD_TOKEN, or --token-stdin) or by token id"
          + " (--token-id UUID, which also evicts ambiguous grants the token is a candidate of).",
      "Exit 0 invalidated (a warning if no replica received it), 2 not done: Redis unreachable,"
          + " timeout or refused credentials, 64 usage error (bad URI, fleet keys, option)."
    })
final class InvalidateCommand extends ContextCommand {
  static final String URI_VARIABLE = "PATGUARD_REDIS_URI";
  static final String KEYS_VARIABLE = "PATGUARD_FLEET_KEYS";

  @Option(
      names = "--redis-uri",
      paramLabel = "URI",
      description =
          "The fleet's Redis: redis://host:port[/db] or rediss://… (TLS) (default: $"
              + URI_VARIABLE
              + "). A URI with a password goes in $"
              + URI_VARIABLE
              + ", never here.")
  @Nullable String redisUri;

  @Option(
      names = "--redis-user",
      paramLabel = "USER",
      description = "The ACL user (needs --redis-password-env; default: the URI's, or default).")
  @Nullable String redisUser;

  @Option(
      names = "--redis-password-env",
      paramLabel = "NAME",
      description = "Read the Redis password from this environment variable (default: the URI's).")
  @Nullable String redisPasswordEnv;

  @Option(
      names = "--fleet-keys-env",
      paramLabel = "NAME",
      description =
          "Read the fleet keys (id:base64[,id:base64...], current first) from this environment"
              + " variable (default: "
              + KEYS_VARIABLE
              + ").")
  @Nullable String fleetKeysEnv;

  @Option(
      names = "--fleet-keys-file",
      paramLabel = "FILE",
      description = "Read the fleet keys from this file instead.")
  @Nullable Path fleetKeysFile;

  @Option(
      names = "--key-prefix",
      paramLabel = "PREFIX",
      defaultValue = "patguard:",
      description = "What the fleet's keys and channel start with (default: ${DEFAULT-VALUE}).")
  String keyPrefix = "patguard:";

  @Option(
      names = "--token-id",
      paramLabel = "UUID",
      converter = Converters.TokenIdConverter.class,
      description =
          "Invalidate by BRMS token id instead of by secret: every entry whose facts name it.")
  @Nullable UUID tokenId;

  @Mixin TokenOptions token = new TokenOptions();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Longest wait for Redis, to connect and to confirm (default: 5s).")
  @Nullable Duration timeout;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  Formats.TextOrJson format = Formats.TextOrJson.TEXT;

  InvalidateCommand(Context ctx) {
    super(ctx);
  }

  @Override
  public Integer call() {
    if (tokenId != null && (token.stdin || token.variable != null)) {
      throw CliException.usage(
          "--token-id and --token-env/--token-stdin exclude each other: invalidate by id or by"
              + " secret");
    }
    if (fleetKeysFile != null && fleetKeysEnv != null) {
      throw CliException.usage(
          "--fleet-keys-env and --fleet-keys-file exclude each other: choose one source");
    }
    if (redisUser != null && redisPasswordEnv == null) {
      throw CliException.usage(
          "--redis-user needs --redis-password-env NAME: the password is read from the"
              + " environment, never from the command line");
    }
    if (redisUri != null && holdsCredentials(redisUri)) {
      throw CliException.usage(
          "--redis-uri holds a password (user:password@ or password@): argv is visible to other"
              + " users through ps and /proc and is kept in shell history; put the URI in "
              + URI_VARIABLE
              + " or the password in a variable named by --redis-password-env NAME (the URI is"
              + " not shown)");
    }
    String uri =
        redisUri != null
            ? redisUri
            : ctx.variable(URI_VARIABLE)
                .orElseThrow(
                    () ->
                        CliException.usage(
                            "no Redis URI: pass --redis-uri URI or set " + URI_VARIABLE));
    String password = null;
    if (redisPasswordEnv != null) {
      password =
          ctx.variable(redisPasswordEnv)
              .orElseThrow(
                  () ->
                      CliException.usage(
                          "environment variable "
                              + redisPasswordEnv
                              + " is not set or empty: it should hold the Redis password"));
    }
    String keysText = null;
    String keysSource;
    if (fleetKeysFile != null) {
      keysSource = "fleet keys file " + fleetKeysFile;
    } else {
      String name = fleetKeysEnv != null ? fleetKeysEnv : KEYS_VARIABLE;
      keysSource = "environment variable " + name;
      keysText =
          ctx.variable(name)
              .orElseThrow(
                  () ->
                      CliException.usage(
                          "environment variable "
                              + name
                              + " is not set or empty: it should hold the fleet keys as"
                              + " id:base64[,id:base64...]"
                              + (fleetKeysEnv == null
                                  ? " (or name another with --fleet-keys-env NAME, or use"
                                      + " --fleet-keys-file FILE)"
                                  : "")));
    }
    SecretDigest digest = tokenId == null ? SecretDigest.of(token.read(ctx)) : null;
    String subject = digest != null ? "token " + digest.fingerprint() : "token id " + tokenId;
    Duration wait = timeout != null ? timeout : Duration.ofSeconds(5);

    FleetInvalidation.Outcome done =
        FleetInvalidation.run(
            new FleetInvalidation.Settings(
                uri,
                redisUser,
                password,
                keysText,
                fleetKeysFile,
                keysSource,
                keyPrefix,
                wait,
                digest,
                tokenId,
                subject));

    Output o = ctx.output();
    if (done.receivers() == 0) {
      o.note(
          "warning: no replica is subscribed to "
              + keyPrefix
              + "invalidations on "
              + done.redis()
              + ", so none was told: check that --redis-uri and --key-prefix are the fleet's (the"
              + " shared entries are deleted either way, and a replica that reconnects drops"
              + " everything it holds)");
    }
    if (format == Formats.TextOrJson.JSON) {
      ObjectNode j = JsonNodeFactory.instance.objectNode();
      j.put("invalidated", true);
      if (digest != null) {
        j.put("fingerprint", digest.fingerprint());
      } else {
        j.put("tokenId", String.valueOf(tokenId));
      }
      j.put("redis", done.redis());
      j.put("keyPrefix", keyPrefix);
      j.put("entriesDeleted", done.entriesDeleted());
      j.put("receivers", done.receivers());
      j.put("exitCode", PatGuardCli.PERMIT);
      o.json(j);
    } else {
      o.line(
          "INVALIDATED "
              + subject
              + ": "
              + plural(done.entriesDeleted(), "shared entry", "shared entries")
              + " deleted, the invalidation received by "
              + plural(done.receivers(), "replica", "replicas")
              + " on "
              + done.redis());
    }
    return PatGuardCli.PERMIT;
  }

  /** Whether a Redis URI's authority has user info, which Lettuce reads as a password. */
  static boolean holdsCredentials(String uri) {
    int start = uri.indexOf("://");
    String rest = start < 0 ? uri : uri.substring(start + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return rest.substring(0, end).indexOf('@') >= 0;
  }

  private static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
