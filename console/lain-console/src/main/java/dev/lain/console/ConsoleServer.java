package dev.lain.console;

import dev.lain.api.ApiJson;
import dev.lain.api.ErrorCode;
import dev.lain.api.console.Accounts;
import dev.lain.api.console.AppView;
import dev.lain.api.console.ProcView;
import dev.lain.api.console.Replies;
import dev.lain.model.console.AuditRecord;
import dev.lain.model.console.Role;
import dev.lain.model.console.User;
import dev.lain.model.deploy.MemorySize;
import dev.lain.records.RecordException;
import dev.lain.records.console.Names;
import dev.lain.records.console.Users;
import dev.lain.records.deployd.PodGroups;
import dev.lain.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP API under {@code /api/v1} (see the module README and {@code
 * /api/v1/openapi.json}): JSON envelopes as LAIN's console answered ({@code {"app": ..., "msg":
 * ...}}), errors as {@code {"code": ..., "message": ...}} with the codes of {@link
 * dev.lain.api.ErrorCode}, never a stack trace.
 *
 * <p>Every request but the index and the OpenAPI document needs a token, in LAIN's {@code
 * access-token} header or as {@code Authorization: Bearer}. Every mutating request, allowed or
 * refused, is written to the audit log. Paths work with and without a trailing slash.
 */
public final class ConsoleServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);

  static final String PREFIX = "/api/v1";
  private static final String HANDLED = "lain.console.handled";

  private final Javalin app;
  private final List<Endpoint> endpoints;

  /** One registered route, as the OpenAPI document lists it. */
  public record Endpoint(String method, String path) {}

  private ConsoleServer(Javalin app, List<Endpoint> endpoints) {
    this.app = app;
    this.endpoints = List.copyOf(endpoints);
  }

  /** Serves {@code console} on {@code host:port} (port 0: any free port). */
  public static ConsoleServer start(String host, int port, Console console) {
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.useVirtualThreads = true;
              config.router.ignoreTrailingSlashes = true;
              config.http.maxRequestSize = JsonBody.MAX_BYTES;
              // Log streams must reach the client as they come, not when a buffer fills.
              config.http.disableCompression();
              config.jsonMapper(new JavalinJackson(ApiJson.MAPPER, true));
            });
    Routes routes = new Routes(app, console);
    routes.register();
    app.error(
        404,
        ctx -> {
          if (ctx.attribute(HANDLED) == null) {
            routes.unknownEndpoint(ctx);
          }
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("console API: {} {} failed", ctx.method(), Names.redact(ctx.path()), e);
          error(
              ctx,
              ErrorCode.INTERNAL.httpStatus(),
              ErrorCode.INTERNAL.wireName(),
              "internal error; see the master's log");
        });
    app.start(host, port);
    return new ConsoleServer(app, routes.endpoints);
  }

  public int port() {
    return app.port();
  }

  /** Every route this server answers (besides its trailing-slash twins). */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  @Override
  public void close() {
    app.stop();
  }

  static void error(Context ctx, int status, String code, String message) {
    ctx.attribute(HANDLED, true);
    ctx.status(status).json(new ErrorCode.Body(code, message));
  }

  /** A handler that gets the authenticated caller (null on the two open routes). */
  @FunctionalInterface
  private interface Handler {
    void handle(Call call) throws Exception;
  }

  /** Builds the audit record of a request. */
  @FunctionalInterface
  private interface AuditRecords {
    AuditRecord of(Context ctx, String user, String action, int status, String message);
  }

  /** One request being handled. */
  private static final class Call {
    final Context ctx;
    final User caller;
    final AuditRecords auditRecords;
    String action;
    String message = "";
    // The change wrote this request's audit record in its own transaction.
    boolean audited;

    Call(Context ctx, User caller, String action, AuditRecords auditRecords) {
      this.ctx = ctx;
      this.caller = caller;
      this.action = action;
      this.auditRecords = auditRecords;
    }

    /** The {@link AuditNote} of this request: the change that takes it writes it. */
    AuditRecord audit(int status, String msg) {
      message = msg;
      audited = true;
      return auditRecords.of(ctx, caller.name(), action, status, msg);
    }

    String param(String name) {
      return ctx.pathParam(name);
    }

    JsonBody body(String... allowed) {
      String length = ctx.header("Content-Length");
      if (length != null) {
        try {
          if (Long.parseLong(length.trim()) > JsonBody.MAX_BYTES) {
            throw JsonBody.tooLarge();
          }
        } catch (NumberFormatException e) {
          throw ConsoleException.invalid("bad Content-Length");
        }
      }
      byte[] bytes;
      try (InputStream in = ctx.req().getInputStream()) {
        bytes = in.readNBytes(JsonBody.MAX_BYTES + 1);
      } catch (IOException e) {
        throw ConsoleException.invalid("the body could not be read");
      }
      return JsonBody.parse(bytes, Set.of(allowed));
    }

    /** Answers with one of {@link Replies}; {@code msg} is what the audit log keeps. */
    void reply(int status, String msg, Object reply) {
      message = msg;
      ctx.attribute(HANDLED, true);
      ctx.status(status).json(reply);
    }

    void reply(int status, String msg) {
      reply(status, msg, new Replies.MessageReply(msg));
    }

    void replyApp(int status, String msg, AppView app) {
      reply(status, msg, new Replies.AppReply(app, msg));
    }

    void replyProc(int status, String msg, ProcView proc) {
      reply(status, msg, new Replies.ProcReply(proc, msg));
    }
  }

  /** The route table and the wrapper every route runs in. */
  private static final class Routes {
    private final Javalin app;
    private final Console console;
    final List<Endpoint> endpoints = new ArrayList<>();

    Routes(Javalin app, Console console) {
      this.app = app;
      this.console = console;
    }

    void register() {
      open(HandlerType.GET, "", this::index);
      open(HandlerType.GET, "/openapi.json", this::openapi);

      route(
          HandlerType.GET,
          "/auth/me",
          "auth.me",
          c -> c.reply(200, "", new Replies.MeReply(console.me(c.caller), "")));

      route(
          HandlerType.POST,
          "/users",
          "user.create",
          c -> {
            JsonBody body = c.body("name", "admin");
            String name = body.requiredString("name");
            boolean admin = body.bool("admin").orElse(false);
            Users.Created created = console.createUser(c.caller, name, admin);
            String msg = "created " + (admin ? "cluster admin " : "user ") + name;
            c.reply(
                201,
                msg,
                new Replies.UserCreatedReply(
                    created.user(), created.token().token(), created.token().id(), msg));
          });
      route(
          HandlerType.GET,
          "/users",
          "user.list",
          c -> c.reply(200, "", new Replies.UsersReply(console.listUsers(c.caller), "")));
      route(
          HandlerType.DELETE,
          "/users/{name}",
          "user.delete",
          c -> {
            console.deleteUser(c.caller, c.param("name"));
            c.reply(200, "deleted user " + c.param("name"));
          });
      route(
          HandlerType.POST,
          "/users/{name}/tokens",
          "token.create",
          c -> {
            c.body();
            Users.IssuedToken token = console.issueToken(c.caller, c.param("name"));
            String msg = "new token " + token.id() + " for " + token.user();
            c.reply(201, msg, new Replies.TokenReply(token.token(), token.id(), msg));
          });
      route(
          HandlerType.GET,
          "/users/{name}/tokens",
          "token.list",
          c ->
              c.reply(
                  200, "", new Replies.TokensReply(console.tokens(c.caller, c.param("name")), "")));
      route(
          HandlerType.DELETE,
          "/users/{name}/tokens/{id}",
          "token.delete",
          c -> {
            console.revokeToken(c.caller, c.param("name"), c.param("id"));
            c.reply(200, "revoked token " + c.param("id") + " of " + c.param("name"));
          });

      route(
          HandlerType.GET,
          "/repos",
          "repo.list",
          c -> c.reply(200, "", new Replies.ReposReply(console.listRepos(c.caller), "")));
      route(
          HandlerType.POST,
          "/repos",
          "repo.create",
          c -> {
            String app = c.body("appname").requiredString("appname");
            c.ctx.attribute("lain.console.app", app);
            String msg = "app " + app + " reposited";
            c.reply(201, msg, new Replies.RepoReply(console.createRepo(c.caller, app), msg));
          });
      route(
          HandlerType.GET,
          "/repos/{app}",
          "repo.get",
          c -> c.reply(200, "", new Replies.RepoReply(console.repo(c.caller, c.param("app")), "")));
      route(
          HandlerType.GET,
          "/repos/{app}/versions",
          "repo.versions",
          c -> {
            List<String> tags = console.versions(c.caller, c.param("app"));
            c.reply(200, "", new Replies.VersionsReply(c.param("app"), tags));
          });
      route(
          HandlerType.GET,
          "/repos/{app}/maintainers",
          "maintainer.list",
          c ->
              c.reply(
                  200,
                  "",
                  new Replies.MaintainersReply(console.maintainers(c.caller, c.param("app")), "")));
      route(
          HandlerType.POST,
          "/repos/{app}/maintainers",
          "maintainer.put",
          c -> {
            JsonBody body = c.body("username", "role");
            String user = Names.user(body.requiredString("username"));
            String roleName = body.requiredString("role");
            Role role =
                Role.named(roleName)
                    .orElseThrow(
                        () ->
                            ConsoleException.invalid(
                                "bad role '" + Names.shorten(roleName) + "': use admin or normal"));
            String app = c.param("app");
            boolean added = console.putMaintainer(c.caller, app, user, role);
            String msg =
                (added ? "added " : "changed ") + user + " as " + role.wireName() + " of " + app;
            c.reply(
                added ? 201 : 200,
                msg,
                new Replies.MaintainerReply(new Accounts.MaintainerRef(user, role), msg));
          });
      route(
          HandlerType.DELETE,
          "/repos/{app}/maintainers/{user}",
          "maintainer.delete",
          c -> {
            console.removeMaintainer(c.caller, c.param("app"), c.param("user"));
            c.reply(200, "removed " + c.param("user") + " from " + c.param("app"));
          });
      route(
          HandlerType.GET,
          "/repos/{app}/roles",
          "repo.role",
          c -> {
            String app = c.param("app");
            Role role = console.role(c.caller, app);
            c.reply(
                200,
                "",
                new Replies.RoleReply(
                    new Accounts.RoleView(app, c.caller.name(), role, c.caller.admin()), ""));
          });

      route(
          HandlerType.GET,
          "/apps",
          "app.list",
          c -> c.reply(200, "", new Replies.AppsReply(console.listApps(c.caller), "")));
      route(
          HandlerType.POST,
          "/apps",
          "app.deploy",
          c -> {
            JsonBody body = c.body("appname", "meta_version");
            String app = Names.app(body.requiredString("appname"));
            c.ctx.attribute("lain.console.app", app);
            AppView view = console.deploy(c.caller, app, body.string("meta_version"), c::audit);
            c.replyApp(202, c.message, view);
          });
      route(
          HandlerType.GET,
          "/apps/{app}",
          "app.get",
          c -> c.replyApp(200, "", console.app(c.caller, c.param("app"))));
      route(
          HandlerType.PUT,
          "/apps/{app}",
          "app.upgrade",
          c -> {
            JsonBody body = c.body("meta_version");
            String app = c.param("app");
            AppView view = console.upgrade(c.caller, app, body.string("meta_version"), c::audit);
            c.replyApp(202, c.message, view);
          });
      route(
          HandlerType.DELETE,
          "/apps/{app}",
          "app.undeploy",
          c -> {
            console.undeploy(c.caller, c.param("app"), c::audit);
            c.reply(202, c.message);
          });
      route(
          HandlerType.GET,
          "/apps/{app}/procs",
          "proc.list",
          c ->
              c.reply(
                  200, "", new Replies.ProcsReply(console.procs(c.caller, c.param("app")), "")));
      route(
          HandlerType.GET,
          "/apps/{app}/procs/{proc}",
          "proc.get",
          c -> c.replyProc(200, "", console.proc(c.caller, c.param("app"), c.param("proc"))));
      route(HandlerType.PATCH, "/apps/{app}/procs/{proc}", "proc.patch", this::patchProc);
      route(
          HandlerType.GET,
          "/apps/{app}/history",
          "app.history",
          c ->
              c.reply(
                  200,
                  "",
                  new Replies.HistoryReply(console.history(c.caller, c.param("app")), "")));
      route(
          HandlerType.POST,
          "/apps/{app}/rollback",
          "app.rollback",
          c -> {
            JsonBody body = c.body("meta_version");
            String app = c.param("app");
            AppView view = console.rollback(c.caller, app, body.string("meta_version"), c::audit);
            c.replyApp(202, c.message, view);
          });
      route(
          HandlerType.GET,
          "/apps/{app}/procs/{proc}/instances/{instance}/logs",
          "proc.logs",
          this::logs);

      route(
          HandlerType.GET,
          "/audit",
          "audit.list",
          c -> {
            int limit = queryInt(c.ctx, "limit", 100);
            if (limit < 1 || limit > 1000) {
              throw ConsoleException.invalid("limit must be 1..1000, not " + limit);
            }
            List<AuditRecord> records =
                console.audit(
                    c.caller,
                    Optional.ofNullable(c.ctx.queryParam("app")).filter(s -> !s.isEmpty()),
                    Optional.ofNullable(c.ctx.queryParam("user")).filter(s -> !s.isEmpty()),
                    limit);
            c.reply(200, "", new Replies.AuditReply(records, ""));
          });
    }

    private void index(Call c) {
      Replies.IndexReply.Index index =
          new Replies.IndexReply.Index(
              "LAIN console",
              "v1",
              PREFIX + "/openapi.json",
              "send a token in the access-token header or as Authorization: Bearer <token>");
      c.reply(200, "LAIN console API", new Replies.IndexReply(index, "LAIN console API"));
    }

    private void openapi(Call c) throws IOException {
      try (InputStream in = ConsoleServer.class.getResourceAsStream("openapi.json")) {
        Objects.requireNonNull(in, "openapi.json is packaged with the console");
        c.ctx.attribute(HANDLED, true);
        c.ctx.contentType("application/json").result(in.readAllBytes());
      }
    }

    private void patchProc(Call c) {
      JsonBody body = c.body("num_instances", "cpu", "memory", "operation", "instance");
      String app = c.param("app");
      String proc = c.param("proc");
      boolean scaling = body.has("num_instances") || body.has("cpu") || body.has("memory");
      if (body.has("operation")) {
        if (scaling) {
          throw ConsoleException.invalid(
              "send either an operation or num_instances/cpu/memory, not both");
        }
        String operation = body.requiredString("operation");
        c.action = "proc." + Names.shorten(operation);
        OptionalInt instance = body.integer("instance");
        ProcView view = console.operate(c.caller, app, proc, operation, instance);
        c.replyProc(
            202,
            operation
                + " "
                + app
                + " "
                + proc
                + (instance.isPresent() ? " instance " + instance.getAsInt() : ""),
            view);
        return;
      }
      if (body.has("instance")) {
        throw ConsoleException.invalid("instance goes with an operation");
      }
      c.action = "proc.scale";
      OptionalLong memory = memoryBytes(body.string("memory"));
      PodGroups.Resize resize =
          records(
              () ->
                  new PodGroups.Resize(body.integer("num_instances"), memory, body.integer("cpu")));
      ProcView view = console.scale(c.caller, app, proc, resize, c::audit);
      c.reply(202, c.message, new Replies.ProcReply(view, ""));
    }

    private static OptionalLong memoryBytes(Optional<String> text) {
      if (text.isEmpty()) {
        return OptionalLong.empty();
      }
      MemorySize.Parsed parsed = MemorySize.parse(text.get());
      return OptionalLong.of(
          parsed
              .size()
              .orElseThrow(() -> ConsoleException.invalid("bad memory: " + parsed.problem().get()))
              .bytes());
    }

    /** A record rule's refusal while the request is read. */
    private static <T> T records(Supplier<T> read) {
      try {
        return read.get();
      } catch (RecordException e) {
        throw ConsoleException.of(e);
      }
    }

    private void logs(Call c) throws IOException {
      int instance;
      try {
        instance = Integer.parseInt(c.param("instance"));
      } catch (NumberFormatException e) {
        throw ConsoleException.invalid(
            "instance must be a whole number, not '" + Names.shorten(c.param("instance")) + "'");
      }
      boolean follow = queryBool(c.ctx, "follow", false);
      int tail = queryInt(c.ctx, "tail", 100);
      InputStream in;
      try {
        in = console.openLogs(c.caller, c.param("app"), c.param("proc"), instance, follow, tail);
      } catch (IOException e) {
        log.warn("logs of {} {} {}: {}", c.param("app"), c.param("proc"), instance, e.toString());
        throw new ConsoleException(
            ErrorCode.UNAVAILABLE, "the node running that instance cannot be reached");
      }
      c.ctx.attribute(HANDLED, true);
      c.ctx.status(200);
      c.ctx.contentType("text/plain; charset=utf-8");
      // Written straight to the response, flushed per read: Jetty sends chunks as they come and
      // a client that went away shows as a failed write, which ends the copy and closes the source.
      try (in) {
        OutputStream out = c.ctx.res().getOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        log.debug("log stream ended: {}", e.toString());
      }
    }

    private static int queryInt(Context ctx, String name, int fallback) {
      String value = ctx.queryParam(name);
      if (value == null || value.isEmpty()) {
        return fallback;
      }
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw ConsoleException.invalid(
            name + " must be a whole number, not '" + Names.shorten(value) + "'");
      }
    }

    private static boolean queryBool(Context ctx, String name, boolean fallback) {
      String value = ctx.queryParam(name);
      if (value == null || value.isEmpty()) {
        return fallback;
      }
      return switch (value) {
        case "true", "1" -> true;
        case "false", "0" -> false;
        default ->
            throw ConsoleException.invalid(
                name + " must be true or false, not '" + Names.shorten(value) + "'");
      };
    }

    private void open(HandlerType method, String path, Handler handler) {
      add(method, path, "", false, handler);
    }

    private void route(HandlerType method, String path, String action, Handler handler) {
      add(method, path, action, true, handler);
    }

    private void add(
        HandlerType method, String path, String action, boolean authenticated, Handler handler) {
      String full = PREFIX + path;
      endpoints.add(new Endpoint(method.name(), full));
      app.addHttpHandler(method, full, ctx -> run(ctx, action, authenticated, handler));
    }

    /**
     * Every route runs here: authentication, the handler, the error body, and the audit record of a
     * mutating request whatever its outcome.
     */
    private void run(Context ctx, String action, boolean authenticated, Handler handler) {
      Call call = null;
      String user = Names.ANONYMOUS;
      int status;
      String message;
      boolean failed = true;
      try {
        User caller = authenticated ? authenticate(ctx) : null;
        if (caller != null) {
          user = caller.name();
        }
        call = new Call(ctx, caller, action, this::auditRecord);
        handler.handle(call);
        status = ctx.statusCode();
        message = call.message;
        failed = false;
      } catch (ConsoleException e) {
        status = e.code().httpStatus();
        message = e.getMessage();
        error(ctx, status, e.code().wireName(), message);
      } catch (RecordException e) {
        ConsoleException refused = ConsoleException.of(e);
        status = refused.code().httpStatus();
        message = Deployments.clientMessage(e);
        error(ctx, status, refused.code().wireName(), message);
      } catch (StoreException e) {
        log.warn(
            "console API: {} {}: the store failed: {}",
            ctx.method(),
            Names.redact(ctx.path()),
            e.toString());
        status = 503;
        message = "the cluster store is unavailable; try again";
        error(ctx, status, ErrorCode.UNAVAILABLE.wireName(), message);
      } catch (Exception e) {
        log.error("console API: {} {} failed", ctx.method(), Names.redact(ctx.path()), e);
        status = ErrorCode.INTERNAL.httpStatus();
        message = "internal error; see the master's log";
        error(ctx, status, ErrorCode.INTERNAL.wireName(), message);
      }
      if (isMutating(ctx.method())) {
        AuditRecord record =
            auditRecord(ctx, user, call == null ? action : call.action, status, message);
        if (!failed && call.audited) {
          logAudited(record);
        } else {
          audit(record);
        }
      }
    }

    /** A mutating request to a path no route serves: answered and audited like any other. */
    void unknownEndpoint(Context ctx) {
      String message = "no such endpoint: " + ctx.method() + " " + Names.shorten(ctx.path());
      error(ctx, 404, ErrorCode.NOT_FOUND.wireName(), message);
      if (isMutating(ctx.method())) {
        String user = Names.ANONYMOUS;
        try {
          user = authenticateQuietly(ctx).map(User::name).orElse(Names.ANONYMOUS);
        } catch (RuntimeException e) {
          log.debug("no caller for an unknown endpoint: {}", e.toString());
        }
        audit(auditRecord(ctx, user, "unknown", 404, message));
      }
    }

    private static boolean isMutating(HandlerType method) {
      return method == HandlerType.POST
          || method == HandlerType.PUT
          || method == HandlerType.PATCH
          || method == HandlerType.DELETE;
    }

    private AuditRecord auditRecord(
        Context ctx, String user, String action, int status, String message) {
      String app = ctx.attribute("lain.console.app");
      if (app == null) {
        app = ctx.pathParamMap().getOrDefault("app", "");
      }
      String shortMessage = Names.redact(message);
      return new AuditRecord(
          console.clock().instant(),
          user,
          ctx.method().name(),
          Names.shorten(Names.redact(ctx.path())),
          Names.shorten(Names.redact(app)),
          action,
          status,
          shortMessage.length() > 200 ? shortMessage.substring(0, 197) + "..." : shortMessage);
    }

    private static void logAudited(AuditRecord record) {
      log.info(
          "{} {} {} -> {} {}",
          record.user(),
          record.method(),
          record.path(),
          record.status(),
          record.message());
    }

    private void audit(AuditRecord record) {
      logAudited(record);
      try {
        console.record(record);
      } catch (RuntimeException e) {
        // The answer stands; losing its audit record is logged where operators look.
        log.error(
            "cannot write the audit record of {} {}: {}",
            record.method(),
            record.path(),
            e.toString());
      }
    }

    private User authenticate(Context ctx) {
      return authenticateQuietly(ctx)
          .orElseThrow(
              () ->
                  new ConsoleException(
                      ErrorCode.UNAUTHORIZED,
                      "unauthorized: send a valid token in the access-token header or as"
                          + " Authorization: Bearer <token>"));
    }

    private Optional<User> authenticateQuietly(Context ctx) {
      return token(ctx).flatMap(console::authenticate);
    }

    private static Optional<String> token(Context ctx) {
      String header = ctx.header("access-token");
      if (header != null && !header.isBlank()) {
        return Optional.of(header.trim());
      }
      String authorization = ctx.header("Authorization");
      if (authorization != null
          && authorization.length() > 7
          && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
        return Optional.of(authorization.substring(7).trim());
      }
      return Optional.empty();
    }
  }
}
