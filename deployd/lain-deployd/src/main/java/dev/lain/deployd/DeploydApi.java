package dev.lain.deployd;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lain.api.ErrorCode;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.Operation;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.records.RecordException;
import dev.lain.records.deployd.DeploydJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * deployd's HTTP API, modelled on LAIN's (§7.3 of the reference): JSON in and out; changes answer
 * {@code 202 Accepted} with a {@code check_url}, because the engine carries them out afterwards;
 * errors answer {@code {"message": ..., "code": ...}} and never a stack trace.
 *
 * <pre>
 * GET    /api/podgroups[?app=A]            every pod group (of an app)
 * GET    /api/podgroups?name=PG            one pod group with its instances
 * POST   /api/podgroups                    body: PodGroupSpec            deploy
 * DELETE /api/podgroups?name=PG                                          undeploy
 * PATCH  /api/podgroups?name=PG&cmd=replica&num_instances=N              scale
 * PATCH  /api/podgroups?name=PG&cmd=spec   body: PodGroupSpec            rolling upgrade
 * PATCH  /api/podgroups?name=PG&cmd=operation&optype=start|stop|restart[&instance=N]
 * GET    /api/nodes
 * PATCH  /api/nodes?cmd=drift&pg=PG&pg_instance=N[&to=NODE][&force=true]
 * PATCH  /api/nodes?node=NODE&cmd=maintain|drain|activate
 * DELETE /api/nodes?node=NODE                                            drain (LAIN's evacuate)
 * GET    /api/constraints[?type=node]     nodes taking no new instances, as LAIN's constraints
 * PATCH  /api/constraints?type=node&value=NODE                          = maintain NODE
 * DELETE /api/constraints?type=node&value=NODE                          = activate NODE
 * GET    /api/status                       engine status
 * PATCH  /api/status                       body: {"status":"stop"|"start"}
 * </pre>
 */
public final class DeploydApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeploydApi.class);

  private final Javalin app;

  private DeploydApi(Javalin app) {
    this.app = app;
  }

  /** Serves {@code service} on {@code host:port} (port 0: any free port). */
  public static DeploydApi start(String host, int port, DeploydService service) {
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.useVirtualThreads = true;
              config.jsonMapper(new JavalinJackson(DeploydJson.mapper(), true));
            });
    routes(app, service);
    app.start(host, port);
    return new DeploydApi(app);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static void routes(Javalin app, DeploydService service) {
    app.get(
        "/api/podgroups",
        ctx -> {
          Optional<String> name = Optional.ofNullable(ctx.queryParam("name"));
          if (name.isPresent()) {
            ctx.json(service.get(name.get()));
          } else {
            ctx.json(service.list(Optional.ofNullable(ctx.queryParam("app"))));
          }
        });
    app.post(
        "/api/podgroups",
        ctx -> {
          PodGroupSpec spec = body(ctx, PodGroupSpec.class);
          service.create(spec);
          accepted(ctx, "deploying " + spec.name(), spec.name());
        });
    app.delete(
        "/api/podgroups",
        ctx -> {
          String name = required(ctx, "name");
          service.remove(name);
          accepted(ctx, "removing " + name, name);
        });
    app.patch(
        "/api/podgroups",
        ctx -> {
          String name = required(ctx, "name");
          String cmd = required(ctx, "cmd");
          switch (cmd) {
            case "replica" -> {
              int n = intParam(ctx, "num_instances");
              service.scale(name, n);
              accepted(ctx, "scaling " + name + " to " + n, name);
            }
            case "spec" -> {
              service.upgrade(name, body(ctx, PodGroupSpec.class));
              accepted(ctx, "upgrading " + name, name);
            }
            case "operation" -> {
              String op = required(ctx, "optype");
              Operation operation =
                  Operation.named(op)
                      .orElseThrow(
                          () ->
                              invalid(
                                  "unknown operation '" + op + "': use start, stop or restart"));
              OptionalInt instance =
                  ctx.queryParam("instance") == null
                      ? OptionalInt.empty()
                      : OptionalInt.of(intParam(ctx, "instance"));
              service.operate(name, operation, instance);
              String which = instance.isPresent() ? " instance " + instance.getAsInt() : "";
              accepted(ctx, op + " " + name + which, name);
            }
            default -> throw invalid("unknown cmd '" + cmd + "': use replica, spec or operation");
          }
        });
    app.get("/api/nodes", ctx -> ctx.json(service.nodes()));
    app.patch(
        "/api/nodes",
        ctx -> {
          String cmd = required(ctx, "cmd");
          switch (cmd) {
            case "drift" -> {
              String pg = required(ctx, "pg");
              int instance = intParam(ctx, "pg_instance");
              service.drift(
                  pg,
                  instance,
                  Optional.ofNullable(ctx.queryParam("to")),
                  "true".equals(ctx.queryParam("force")));
              accepted(ctx, "moving " + pg + " instance " + instance, pg);
            }
            case "maintain", "drain", "activate" -> {
              String node = required(ctx, "node");
              NodeMode mode =
                  switch (cmd) {
                    case "maintain" -> NodeMode.MAINTENANCE;
                    case "drain" -> NodeMode.DRAINING;
                    default -> NodeMode.ACTIVE;
                  };
              service.setNodeMode(node, mode);
              ctx.status(202)
                  .json(
                      Map.of(
                          "message",
                          "node " + node + " is now " + mode.name().toLowerCase(Locale.ROOT)));
            }
            default ->
                throw invalid("unknown cmd '" + cmd + "': use drift, maintain, drain or activate");
          }
        });
    app.delete(
        "/api/nodes",
        ctx -> {
          String node = required(ctx, "node");
          service.setNodeMode(node, NodeMode.DRAINING);
          ctx.status(202).json(Map.of("message", "draining node " + node));
        });
    app.get(
        "/api/constraints",
        ctx -> {
          String type = ctx.queryParam("type");
          if (type != null && !type.equals("node")) {
            throw invalid("only node constraints exist: type=node");
          }
          ctx.json(
              service.nodes().stream()
                  .filter(n -> n.mode() != NodeMode.ACTIVE)
                  .map(
                      n ->
                          Map.of(
                              "type", "node", "value", n.name(), "equal", false, "mode", n.mode()))
                  .toList());
        });
    app.patch(
        "/api/constraints",
        ctx -> {
          String node = nodeConstraint(ctx);
          service.setNodeMode(node, NodeMode.MAINTENANCE);
          ctx.status(202).json(Map.of("message", "no new instances on node " + node));
        });
    app.delete(
        "/api/constraints",
        ctx -> {
          String node = nodeConstraint(ctx);
          service.setNodeMode(node, NodeMode.ACTIVE);
          ctx.status(202).json(Map.of("message", "node " + node + " takes instances again"));
        });
    app.get("/api/routers", ctx -> ctx.json(service.routers()));
    app.get(
        "/api/status",
        ctx ->
            ctx.json(
                service
                    .engineStatus()
                    .map(s -> (Object) s)
                    .orElse(Map.of("message", "this master is not the leader"))));
    app.patch(
        "/api/status",
        ctx -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> body = body(ctx, Map.class);
          Object status = body.get("status");
          if (!"stop".equals(status) && !"start".equals(status)) {
            throw invalid("body must be {\"status\":\"stop\"} or {\"status\":\"start\"}");
          }
          if (!service.pauseEngine("stop".equals(status))) {
            throw new RecordException(
                RecordException.Code.UNAVAILABLE, "this master is not the leader");
          }
          ctx.status(202)
              .json(Map.of("message", "engine " + (status.equals("stop") ? "stopped" : "started")));
        });

    app.exception(
        RecordException.class,
        (e, ctx) -> {
          ErrorCode code = ErrorCode.valueOf(e.code().name());
          error(ctx, code.httpStatus(), code.wireName(), e.getMessage());
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("deployd API: {} {} failed", ctx.method(), ctx.path(), e);
          error(
              ctx,
              ErrorCode.INTERNAL.httpStatus(),
              ErrorCode.INTERNAL.wireName(),
              "internal error; see the master's log");
        });
  }

  private static void error(Context ctx, int status, String code, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("message", message);
    body.put("code", code);
    ctx.status(status).json(body);
  }

  private static void accepted(Context ctx, String message, String podGroup) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("message", message);
    body.put("check_url", "/api/podgroups?name=" + podGroup);
    ctx.status(202).json(body);
  }

  private static String required(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      throw invalid("query parameter '" + name + "' is required");
    }
    return value;
  }

  /** LAIN's {@code type=node&value=NODE}: the only kind of constraint there is. */
  private static String nodeConstraint(Context ctx) {
    if (!"node".equals(required(ctx, "type"))) {
      throw invalid("only node constraints exist: type=node");
    }
    return required(ctx, "value");
  }

  private static int intParam(Context ctx, String name) {
    String value = required(ctx, name);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid("query parameter '" + name + "' must be a whole number, not '" + value + "'");
    }
  }

  private static <T> T body(Context ctx, Class<T> type) {
    try {
      return DeploydJson.mapper().readValue(ctx.body(), type);
    } catch (JsonProcessingException e) {
      throw invalid(
          "the body is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw invalid("the body is not a valid " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  private static RecordException invalid(String message) {
    return RecordException.invalid(message);
  }
}
