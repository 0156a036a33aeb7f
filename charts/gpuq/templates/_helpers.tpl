{{/* Chart name, shortened to fit label values. */}}
{{- define "gpuq.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Prefix of every resource name. With the release name "gpuq" the components are gpuq-webhook and
gpuq-scheduler, the names the command line defaults to.
*/}}
{{- define "gpuq.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "gpuq.webhookName" -}}{{ include "gpuq.fullname" . }}-webhook{{- end }}
{{- define "gpuq.schedulerName" -}}{{ include "gpuq.fullname" . }}-scheduler{{- end }}
{{- define "gpuq.webhookSettingsName" -}}{{ include "gpuq.fullname" . }}-webhook{{- end }}
{{- define "gpuq.pricesName" -}}{{ include "gpuq.fullname" . }}-prices{{- end }}
{{- define "gpuq.leaseName" -}}{{ include "gpuq.fullname" . }}-scheduler{{- end }}
{{- define "gpuq.webhookTlsSecret" -}}{{ include "gpuq.fullname" . }}-webhook-tls{{- end }}
{{- define "gpuq.webhookCertificate" -}}{{ include "gpuq.fullname" . }}-webhook{{- end }}

{{/* The scheduler creates reservation pods with this service account; the name is fixed. */}}
{{- define "gpuq.reservationServiceAccount" -}}gpuq-reservation{{- end }}

{{/* Namespace of Projects, Departments and the ConfigMaps. */}}
{{- define "gpuq.systemNamespace" -}}
{{- default .Release.Namespace .Values.systemNamespace }}
{{- end }}

{{- define "gpuq.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gpuq.labels" -}}
helm.sh/chart: {{ include "gpuq.chart" . }}
app.kubernetes.io/name: {{ include "gpuq.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gpuq
{{- end }}

{{/* Selector labels of one component; call with (dict "ctx" $ "component" "webhook"). */}}
{{- define "gpuq.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gpuq.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "gpuq.componentLabels" -}}
{{ include "gpuq.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "gpuq.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The service account name of the scheduler as the API server names it in admission requests. */}}
{{- define "gpuq.schedulerUser" -}}
system:serviceaccount:{{ .Release.Namespace }}:{{ include "gpuq.schedulerName" . }}
{{- end }}

{{/*
Namespaces whose pods the pod webhooks never see: kube-system, the release namespace (gpuq itself must
start while its webhook is down) and the reservation namespace (pods the scheduler makes).
*/}}
{{- define "gpuq.excludedNamespaces" -}}
{{- $list := list "kube-system" .Release.Namespace .Values.scheduler.reservation.namespace }}
{{- range .Values.webhook.excludedNamespaces }}
{{- $list = append $list . }}
{{- end }}
{{- toYaml (uniq $list) }}
{{- end }}

{{/* Preferred anti-affinity on the node, unless the component's values set an affinity. */}}
{{- define "gpuq.affinity" -}}
{{- if .values.affinity }}
{{- toYaml .values.affinity }}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "gpuq.selectorLabels" (dict "ctx" .ctx "component" .component) | nindent 12 }}
{{- end }}
{{- end }}

{{/* The java command line every gpuq container starts with. */}}
{{- define "gpuq.command" -}}
- java
- -jar
- /opt/gpuq/gpuq.jar
{{- end }}
