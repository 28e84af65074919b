package dev.lain.spec;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers: validate a manifest that must be valid, and realistic LAIN apps. */
final class Manifests {
  private Manifests() {}

  static ValidationResult.Valid valid(String yaml) {
    ValidationResult result = LainYaml.validate(yaml);
    assertThat(result.diagnostics())
        .as("diagnostics")
        .allSatisfy(d -> assertThat(d.line()).isPositive());
    assertThat(result)
        .as(
            "result with %s",
            result.diagnostics().stream().map(d -> d.format("lain.yaml")).toList())
        .isInstanceOf(ValidationResult.Valid.class);
    return (ValidationResult.Valid) result;
  }

  static AppSpec spec(String yaml) {
    return valid(yaml).spec();
  }

  /** In the spirit of LAIN's hello-world: a Go web app with a release stage and a test. */
  static final String HELLO_WORLD =
      """
      appname: hello-world

      build:
        base: golang:1.8
        script:
          - go build -o hello-world

      release:
        dest_base: registry.lain.local/centos-lain:20170426
        copy:
          - src: hello-world
            dest: /usr/bin/hello-world

      test:
        script:
          - go test

      web:
        cmd: hello-world
        port: 8080
        memory: 64m
        healthcheck: /ping
      """;

  /** In the spirit of LAIN's registry app: prepare stage, backups, secrets, stateful. */
  static final String REGISTRY =
      """
      appname: registry
      giturl: github.com/laincloud/registry.git

      build:
        base: golang:1.8
        prepare:
          version: 2
          script:
            - go get github.com/docker/distribution/cmd/registry
          keep:
            - vendor
        script:
          - go install ./...

      release:
        dest_base: alpine:3.5
        copy:
          - src: /go/bin/registry
            dest: /usr/bin/registry
          - config.yml

      web:
        cmd: registry serve /lain/app/config.yml
        port: 5000
        memory: 256m
        num_instances: 2
        stateful: true
        env:
          - REGISTRY_STORAGE_DELETE_ENABLED=true
          - REGISTRY_HTTP_SECRET=lain
        volumes:
          - /var/lib/registry:
              backup_full:
                schedule: "0 3 * * *"
                expire: 10d
                pre_run: sync
        secret_files:
          - auth/htpasswd
        logs:
          - registry.log
      """;

  /** In the spirit of LAIN's console: services, resources, health checks, scheduling. */
  static final String CONSOLE =
      """
      appname: console
      giturl: https://github.com/laincloud/console

      build:
        base: laincloud/centos-lain:20170426
        prepare:
          - pip install -r pip-req.txt
        script:
          - pip install -r pip-req.txt
        build_arg:
          - PIP_INDEX=https://pypi.example.com/simple

      web:
        cmd: ./entry.sh
        port: 8000
        memory: 512m
        cpu: 2
        num_instances: 2
        env:
          - DEBUG=false
          - CONSOLE_APISERVER=http://deployd.lain:9003
        persistent_dirs:
          - /externalbin
        logs:
          - console.log
        mountpoint:
          - /api
        https_only: true
        container_healthcheck:
          cmd: curl -f localhost:8000/api/v1/
          options:
            interval: 30
            timeout: 5
            retries: 3
        filters:
          - constraint:group==infra
          - affinity:proctype!=~router
        labels:
          - team:infra
        setup_time: 40
        kill_timeout: 30

      worker.sync:
        cmd: python sync.py
        memory: 128m

      use_services:
        redis-service:
          - redis

      use_resources:
        mysql:
          services:
            - mysql-master
          memory: 256m
          port: 3306

      notify:
        slack: "#lain"
      """;
}
