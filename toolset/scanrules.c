/*
 * scanrules.c - the rules read in one string of a server's text
 * (mcp-rules(7) says each, and why).
 *
 * Hidden characters are found in one pass over the string's UTF-8.  The
 * rules on words read a normal form of it, made in the same pass, what a
 * model reads: white space of every kind one space, the hidden characters
 * and every default-ignorable code point dropped (so that "ig<U+200B>nore"
 * is read "ignore"), the tag characters read as the ASCII they spell, and
 * each other character read by a table made at build time from Unicode's
 * data (build-aux/mkfold, ICU): its compatibility decomposition (fullwidth,
 * mathematical, enclosed, superscript and modifier letters, ligatures),
 * lower-cased, its combining marks dropped, a look-alike of any script
 * read by its UTS #39 skeleton as the ASCII it passes for; HTML character
 * references decoded, and a run of base64 that decodes to text read a
 * second time, decoded; in a name, _ and - and a capital inside a word
 * start a word.  It is at most twice the string.  Each rule on words is
 * one POSIX extended expression or a few (English, the other languages;
 * or alternatives of anchors of their own, so that the costliest is tried
 * only where its words are) without back-references, matched by
 * an automaton made at build time (build-aux/mkrules writes the table
 * below for re2c(1); the Makefile includes its C here): one pass of the
 * anchors' automaton (Aho and Corasick's, made there too) says which
 * expressions the text may match, and one pass over the normal form tries,
 * at each place, the automata of those that may begin with its two bytes.  An
 * expression with a bound past 8 has an automaton that reads the bound as
 * none (too many states else), and on a text that automaton matches, the
 * expression itself decides (regexec(3), compiled then).  A string is at
 * most the list, 256 KiB; it gives at most one finding per rule.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "scanint.h"
#include "text.h"

/* The rules on words, on the normal form. */
static const struct {
	int rule;
	const char *anchors; /* "a|b": the expression cannot match a text holding none of them */
	const char *re;
} words[] = {
    {R_IGNORE, "ignore|disregard|forget|override|bypass|new instructions",
        "(ignore|disregard|forget|override|bypass)( (all|any|the|your|of|every))* (previous"
        "|prior|earlier|above|preceding|former|other|existing|original|system)"
        " (instructions?|rules|directions|directives|prompts?|guidelines)"
        "|(ignore|disregard) (all|any) (instructions|rules)"
        "|new instructions:"},
    {R_HIDE, "user|human|secret|silently|covertly|quietly|keep",
        "(do not|don't|dont|never|without) (tell|inform|notify|mention|reveal|show|alert"
        "|telling|informing|notifying|mentioning|revealing|showing|alerting)( (this|it|that"
        "|anything))?( to)? (the )?(user|human)"
        "|(do not|don't|never) let (the )?(user|human) (know|see|notice)"
        "|(no need|not necessary|unnecessary) to (mention|tell|inform|notify)( (this|it"
        "|that))? (to )?(the )?(user|human)"
        "|(hide|conceal|keep) (this|it|that)( (secret|hidden|private))? from (the )?(user"
        "|human)"
        "|(user|human) (must|should|shall|need|needs to) (not|never) (know|see|be told"
        "|notice|find out)"
        "|keep (this|it|these instructions) (a )?(secret|hidden|confidential)"
        "|this is a secret (operation|step|instruction)"
        "|(silently|secretly|covertly|quietly) (read|send|include|pass|add|copy|upload"
        "|forward|attach|post)"
        "|not (be )?(visible|shown|displayed) to the user"},
    {R_FILES,
        "ssh|id_|id rsa|id ed|id ec|aws|netrc|npmrc|pypirc|/etc/"
        "|kube|docker|mcp.json|claude_desktop|cursor|git-cred|bash_history|.env",
        "~/\\.ssh|\\.ssh/|id[_ ](rsa|ed25519|ecdsa)|\\.aws/credentials|~/\\.aws|\\.netrc"
        "|\\.npmrc|\\.pypirc|/etc/shadow|/etc/passwd|\\.kube/config|\\.docker/config\\.json"
        "|mcp\\.json|claude_desktop_config|~/\\.cursor|\\.git-credentials|\\.bash_history"
        "|(^|[^a-z0-9_])\\.env([^a-z0-9_]|$)"},
    /* (two expressions, each with its own anchors: a text holding one rarely holds the other's) */
    {R_CONVO,
        "history|conversation|chat|previous messages|prior messages|earlier messages"
        "|recent messages|last messages|system prompt",
        "(^|[^a-z])(include|pass|put|append|attach|send|insert|copy|paste|forward|dump|leak"
        "|reveal|repeat|exfiltrate)[a-z]*( [a-z'`\\\"_]+){0,6} ((conversation|chat|message)"
        " history|(entire|full|whole|complete) (conversation|chat)|(all|every) (previous|prior"
        "|earlier) messages|(full|complete) list of (last|previous|recent) messages|system"
        " prompt)"},
    {R_CONVO, "param|arg|field|sidenote",
        "(content|contents|data|file|key|keys|token|tokens|credentials?|secrets?"
        "|conversation|messages)[^.]{0,40} (in|into|as|inside) (the |a"
        " )?['\\\"`]?[a-z_]*['\\\"`]? ?(parameter|param|argument|arg|field|sidenote)"
        "|sidenote"},
    /* The same things named without being put anywhere: what a tool that returns them says. */
    {R_NAMED,
        "history|conversation|chat|transcript|previous messages|prior messages"
        "|earlier messages|recent messages|last messages|system prompt",
        "(conversation|chat|message) history|(entire|full|whole|complete) (conversation|chat"
        "|transcript)|(all|every) (previous|prior|earlier) messages|(full|complete) list of"
        " (last|previous|recent) messages|system prompt"},
    {R_SEND, "http|@| cc| bcc|blind copy| forward|change the recipient",
        "(^|[^a-z])(send|sends|sending|sent|post|posts|posting|posted|upload|uploads"
        "|uploading|uploaded|forward|forwards|forwarding|forwarded|transmit|transmits"
        "|transmitting|transmitted|exfiltrate|exfiltrates|exfiltrating|exfiltrated|email|emails"
        "|emailing|emailed|e-mail|bcc|leak|leaks|leaking|leaked|copy|copies|copying"
        "|copied)([^a-z]|$)[^.]{0,80}(https?://[a-z0-9]|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})"
        "|(always|also|silently|secretly) (bcc|cc|blind copy|forward)"
        "|change the recipient"},
    {R_PREFER,
        "always|instead|other|before|prior|first|precedence|immediately|rather|priorit"
        "|preferen|alternative|only tool|over a",
        "always (use|prefer|call|choose|pick|select|run|invoke|consult|try) (this|the"
        " [a-z0-9_.-]+) tool"
        "|(call|consult|use|invoke|try|run) this tool (immediately|as the first step|instead|first"
        "|rather)"
        "|(must|should|always) (prioriti[sz]e|prefer|favou?r) this tool"
        "|prioriti[sz]e this tool (over|above|before)"
        "|use this( tool)? instead of"
        "|this tool (takes|has|gets) (precedence|priority)"
        "|(precedence|priority) over (any|all|other|every)[^.]{0,20} (tools?|alternatives|servers?)"
        "|over (any|all) (other )?(alternatives|tools|servers)"
        "|in preference to (any|all|other)"
        "|(is|as) the only tool (you )?(should|must|may|can)"
        "|instead of (any|all|the) other (tools?|servers?)"
        "|(never|do not|don't) (use|call|try) (any )?(other|another|alternative) (tools?|servers?)"
        "|(before|prior to) (using|calling|invoking|trying) (any|every|each) (other )?tool"
        "|(must|should) (always )?be (called|used|invoked|tried) (first|before)"
        "|takes precedence over (all|any|other)"},
    {R_AUTH,
        "<important>|<system>|<instruction|<admin>|<secret>|<hidden>|<critical>|[system]"
        "|[important]|[admin]|[instruction|override:|instruction:|instructions:|note:"
        "|authoritative source|official source|trusted source"
        "|the system|your system|the administrator|your administrator|the developer"
        "|your developer|the operator|your operator|compliance|security policy",
        "<(important|system|instructions?|admin|secret|hidden|critical)>"
        "|\\[(system|important|admin|instructions?)\\]"
        "|(system|admin|developer) (override|instructions?|note):"
        "|(authoritative|official|trusted) source"
        "|(i am|as) (the|your) (system|administrator|developer|operator)"
        "|critical compliance requirement|required by (the )?(platform|system)'?s? security"
        " policy"},
    /* ignore earlier instructions: Spanish, Portuguese, French, German, Russian, Chinese, Japanese */
    {R_IGNORE,
        "instrucciones|indicaciones|reglas|órdenes|instruções|regras"
        "|orientações|diretrizes|consignes|règles|précédentes|antérieures"
        "|toutes les instructions|toutes vos instructions|anweisungen"
        "|instruktionen|vorgaben|befehle|regeln|инструкции|указания"
        "|правила|команды|指令|指示|说明|說明|规则|規則|提示|命令|ルール|プロンプト",
        "(^|[^a-z])(ignora|ignore|ignorar|olvida|olvide|olvidar|descarta"
        "|descarte)( [^ .]+){0,3} (instrucciones|indicaciones|reglas"
        "|órdenes) (anteriores|previas|precedentes|del sistema)|(^"
        "|[^a-z])(ignora|ignore|ignorar|olvida|olvide|olvidar) (todas"
        "|cualquier) (las )?(instrucciones|reglas|indicaciones)"
        "|nuevas instrucciones ?:|(^|[^a-z])(ignore|ignora|ignorar|esqueça"
        "|esquecer|desconsidere|desconsiderar)( [^ .]+){0,3} (instruções|regras"
        "|orientações|diretrizes) (anteriores|prévias|do sistema)|(^"
        "|[^a-z])(ignore|esqueça|desconsidere) todas as (instruções|regras)"
        "|novas instruções ?:|(^|[^a-z])(ignore|ignorez|ignorer|oublie|oubliez"
        "|oublier)( [^ .]+){0,3} (instructions|consignes|règles"
        "|directives) (précédentes|antérieures|du système|ci-dessus)|(^"
        "|[^a-z])(ignore|ignorez|ignorer|oublie|oubliez|oublier) toutes (les"
        "|vos|tes) (instructions|consignes|règles)|nouvelles instructions ?:|(^"
        "|[^a-z])(ignoriere|ignoriert|ignorieren|vergiss|vergesst|vergessen"
        "|missachte|missachten)( [^ .]+){0,2} (vorherigen|vorigen|bisherigen"
        "|früheren|obigen|vorangegangenen|alle) (anweisungen|instruktionen"
        "|regeln|befehle|vorgaben)|(vorherigen|vorigen|bisherigen|früheren"
        "|obigen|alle) (anweisungen|instruktionen|regeln|befehle"
        "|vorgaben)( [^ .]+){0,2} (ignorieren|vergessen|missachten)"
        "|neue anweisungen ?:|(игнорируй|игнорируйте|игнорировать"
        "|проигнорируй|проигнорируйте|забудь|забудьте"
        "|забыть)( [^ .]+){0,2} (предыдущие|прежние"
        "|предшествующие|все|системные|вышеуказанные"
        "|вышеприведённые) (инструкции|указания|правила|команды)"
        "|новые инструкции ?:|(忽略|无视|無視|忘记|忘記|忘掉|不要理会"
        "|不要理會)(掉)?(之前|以前|先前|上面|上述|前面|此前|所有|全部|一切)(的)?(所有|全部)?(的)?("
        "指令|指示|说明"
        "|說明|规则|規則|提示|命令)|新(的)?(指令|指示) ?:|(以前|前|上記|これまで|先|全て"
        "|すべて)の(指示|命令|指令|ルール|プロンプト)(を)?(すべて|全て)?(無視|忘れ)|新しい指示 ?:"},
    /* hide from the user: Spanish, Portuguese, French, German, Russian, Chinese, Japanese */
    {R_HIDE,
        "usuari|utilisat|benutzer|nutzer|anwender|пользовател|用户|用戶|使用者"
        "|ユーザー|悄悄|偷偷|こっそり|密か|ひそか",
        "(^|[^a-z])(no|nunca) (le |se lo |les )?(digas|diga|digan|menciones"
        "|mencione|informes|informe|reveles|revele|muestres|muestre|cuentes"
        "|cuente|avises|avise|notifiques|notifique)( [^ .]+){0,3} (al|a los"
        "|a la) (usuario|usuarios|usuaria)|(^|[^a-z])sin (decirle|decírselo"
        "|informar|avisar|notificar)( [^ .]+){0,2} (al )?usuario|(^"
        "|[^a-z])(oculta|ocultar|ocúltale|esconde|esconder)( [^ .]+){0,2} (al"
        "|del) usuario|el usuario no (debe|debería|puede) (saber|enterarse|ver)"
        "|(^|[^a-z])(não|nunca) (diga|conte|mencione|informe|revele|mostre"
        "|avise|notifique)( [^ .]+){0,3} (ao|à|aos|para o) (usuário|utilizador"
        "|usuários)|(^|[^a-z])sem (avisar|informar|contar"
        "|notificar)( [^ .]+){0,2} (o )?(usuário|utilizador)|(^|[^a-z])(esconda"
        "|oculte|esconder|ocultar)( [^ .]+){0,2} do (usuário|utilizador)"
        "|o (usuário|utilizador) não (deve|pode) (saber|ver)|(^|[^a-z])n(e "
        "|')[^.]{0,30}(dis|dites|mentionne|mentionnez|révèle|révélez|montre"
        "|montrez|signale|signalez|informe|informez|préviens|prévenez|avertis"
        "|avertissez)[^.]{0,20}l'utilisat(eur|rice)|(^|[^a-z])sans (informer"
        "|prévenir|avertir|le dire à|en informer)( [^ .]+){0,2} l'utilisat(eur"
        "|rice)|(^|[^a-z])(cache|cachez|cacher|dissimule"
        "|dissimulez)( [^ .]+){0,2} (à|de) l'utilisat(eur|rice)|l'utilisat(eur"
        "|rice) ne doit (pas|jamais) (savoir|voir|être informé)|(^|[^a-z])(sage"
        "|sagen|sagt|erzähle|erzähl|zeige|zeig|verrate|informiere|erwähne"
        "|benachrichtige)( [^ .]+){0,3} (dem|den|der) (benutzer|nutzer|anwender"
        "|benutzerin|nutzerin)( [^ .]+){0,2} (nicht|nichts)|(nicht|nichts"
        "|niemals|nie) (dem|den) (benutzer|nutzer|anwender) (sagen|mitteilen"
        "|zeigen|verraten|erzählen|erwähnen)|ohne (den|dem) (benutzer|nutzer"
        "|anwender)( [^ .]+){0,2} zu (informieren|benachrichtigen|fragen|sagen)"
        "|vor dem (benutzer|nutzer|anwender) (verbergen|verstecken"
        "|geheim halten|verheimlichen)|(benutzer|nutzer|anwender) (darf|soll"
        "|sollte) (nicht|nichts|niemals) (wissen|sehen|erfahren|bemerken)"
        "|не (говори|говорите|сообщай|сообщайте|показывай"
        "|показывайте|упоминай|упоминайте|рассказывай"
        "|рассказывайте|сообщать"
        "|говорить)( [^ .]+){0,3} пользовател|без (ведома"
        "|уведомления) пользовател|скр(ой|ойте|ыть"
        "|ывай)( [^ .]+){0,2} от пользовател"
        "|пользовател[^ .]* не (должен|должна|нужно|следует) (знать"
        "|видеть|узнать)|(不要|别|別|勿|不得|不可|切勿|无需|無需|不必|不需要)(告诉|告訴|告知|通知|"
        "提醒|透露"
        "|显示给|顯示給|让|讓)(用户|用戶|使用者)|(对|對|向)(用户|用戶|使用者)(隐瞒|隱瞞|保密)|(瞒着"
        "|瞞著)(用户|用戶|使用者)|(悄悄|偷偷)(地)?(读取|讀取|发送|發送|上传|上傳|复制|複製)|"
        "ユーザー(に"
        "|には)(伝え|言わ|知らせ|教え|見せ|通知し|報告し)(ない|るな|ず)|ユーザーに(は)?(秘密|内緒)"
        "|ユーザーに(知られ|気づかれ|気付かれ)(ない|ず)|(こっそり|密かに|ひそかに)[^.]{0,12}(読|送"
        "|アップロード|転送|コピー|追加)"},
    /* send elsewhere: Spanish, Portuguese, French, German, Russian, Chinese, Japanese */
    {R_SEND,
        "envía|envíe|enviar|envie|manda|mande|reenvía|reenviar|sube|suba|subir"
        "|transmit|exfiltra|publica|encaminh|carregue|envoie|envoyez|envoyer"
        "|transmet|transfèr|téléverse|publie|postez|sende|sendet|schick"
        "|übermittl|übertrag|leite|hochladen|отправ|пересл|загруз|переда|发送"
        "|發送|发到|發到|发给|發給|上传|上傳|转发|轉發|传到|傳到|传送|傳送|送信|送って|送る|転送"
        "|アップロード",
        "(^|[^a-z])(envía|envíe|enviar|envie|manda|mande|mandar|reenvía"
        "|reenviar|sube|suba|subir|transmite|transmitir|exfiltra|publica"
        "|encaminhe|encaminhar|transmita|carregue)([^a-z]"
        "|$)[^.]{0,80}(https?://[a-z0-9]|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})"
        "|(^|[^a-z])(envoie|envoyez|envoyer|transmets|transmettez|transmettre"
        "|transfère|transférez|transférer|téléverse|téléversez|publie|publiez"
        "|postez)([^a-z]|$)[^.]{0,80}(https?://[a-z0-9]"
        "|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})|(^|[^a-z])(sende|senden|sendet"
        "|schicke|schicken|schick|übermittle|übermitteln|übertrage|übertragen"
        "|leite|weiterleiten|hochladen)([^a-z]|$)[^.]{0,80}(https?://[a-z0-9]"
        "|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})|(отправь|отправьте"
        "|отправить|отправляй|перешли|перешлите|переслать|загрузи"
        "|загрузите|передай|передайте"
        "|передать)[^.]{0,80}(https?://[a-z0-9]"
        "|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})|(发送|發送|发到|發到|发给|發給|上传|上傳"
        "|转发|轉發|传到|傳到|传送|傳送)[^.]{0,80}(https?://[a-z0-9]"
        "|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})|(送信|送って|送る|転送"
        "|アップロード)[^.]{0,80}(https?://[a-z0-9]"
        "|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})|(https?://[a-z0-9][^ ]*"
        "|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,}) ?(に|へ|宛(て)?(に)?)(送信|送っ|送る"
        "|転送|アップロード)"},

    /*
     * What a description asks the agent to do beyond describing its own
     * tool (issue 67): each rule reads an intent, not the words of an
     * example; mcp-rules(7) says each, its honest shape, its measure.
     */
    {R_ORDER,
        "before|prior|ahead|preced|prefac|advance|first|at the start|at the beginning"
        "|opening move|as the opening|only be|only used|only called|only run|only invoked"
        "|only executed|nothing|no other|no tool|every|each|until",
        "(before|prior to|ahead of|preceding|in advance of)( (using|calling|invoking|running"
        "|executing|answering|replying|responding|doing|touching|any|each|every|other"
        "|another|a|an|the)[^.]{0,50})? (any|every|each|all|other|another) (other |new |user )?"
        "(tool|tools|call|calls|request|requests|message|messages|operation|operations|action"
        "|actions|turn|turns|function|functions|command|commands|task|tasks|reply|replies|answer"
        "|step|steps|server|servers|file|query|queries)"
        "|(first|at the start|at the beginning|opening move|first step|first thing)[^.]{0,60}"
        " (every|each|any) (new )?(user )?(message|request|turn|session|conversation|time|call"
        "|task|query|prompt|interaction|reply)"
        "|(on|for|in|with|at the start of|at the beginning of) (every|each) (new )?(user )?"
        "(message|request|turn|session|conversation|query|prompt|interaction)[^.]{0,60}"
        " (first|before|call|run|invoke|begin|start)"
        "|(call|run|invoke|use|execute|trigger) (this|me|it|this tool|[a-z0-9]+_[a-z0-9_]+)"
        " (first|before|ahead|prior)[^.]{0,40} (every|each|any other|all other|anything else"
        "|any tool|all tools|other tools|other servers)"
        "|(may|can|should|must|are to|is to) only (be )?(used|called|run|invoked|executed)"
        " (after|once)"
        "|(nothing|no other tool|no tool|no other call|nothing else)[^.]{0,40} (until|before"
        "|unless|prior)"
        "|(goes|runs|is called|are called|must be called|must run|is run|is invoked"
        "|is to be called|is to be invoked|has to run|needs to run|to be called) (first|before)"
        "|comes (first|before) (any|anything|every|everything|all|other)"
        "|(before|prior to|ahead of|preceding) (every|each|any|all) ([a-z0-9]+ )?([a-z0-9]+ )?"
        "[a-z0-9]+_[a-z0-9_]+"
        "|(before|prior to|ahead of) [a-z0-9]+_[a-z0-9_]+"
        "|(is to be|must be|should be|has to be|needs to be) (preceded|prefaced) by"
        "|(every|each) (session|conversation|turn|request|message) (must|should|has to|needs to)"
        " (begin|start)"
        "|first things first|treat this as the (first|opening)"
        "|until [a-z0-9_ ]{0,30} (has|have) (returned|answered|completed|run|been called)"},
    {R_REWRITE,
        "regardless|irrespective|no matter|whatever|whoever|whichever|even when|even if"
        "|even though|instead of what|overrid|in place of|_",
        "(regardless of|irrespective of|no matter|whatever|whoever|whichever|even when"
        "|even though|instead of what|overriding|overrides|in place of what)[^.]{0,30}"
        " (the user|the user's|user's|the caller|they|you) ?(named|name|names|typed|type|asked"
        "|asks|requested|request|chose|choose|choice|want|wants|wanted|provide|provides"
        "|provided|specif[a-z]*|said|says|setting|settings|gave|give|selected|select|entered"
        "|enter|is searching|searches|is asking)"
        "|(for|during|in|on|whenever|when (calling|using|you call|you use)|every|each|any"
        "|of every|of each|of any)( a| an| the)? `?[a-z0-9]+_[a-z0-9_]+`?( calls?| invocations?"
        "| tool| is (called|used))?[^.]{0,80} (add|append|prepend|insert|set|change|replace"
        "|rewrite|rewritten|overridden|override|overwrite|swap|swapped|prefix|prefixed|force"
        "|redirect|reroute|extended|must have|must contain|should carry|should be|is to be"
        "|gets|get|must be|role|is overridden)( |$)"},
    {R_THREAT,
        "crash|corrupt|lost|lose|loss|break|suspend|terminat|kill|banned|fired|liab"
        "|disciplin|freez|irrecoverabl|permanent|wiped|unreadable|runs out|inconsistent"
        "|no recovery|not optional|non-negotiable|non negotiable|no choice|never omit|obliged"
        "|absolutely",
        "(otherwise|or else|failure to|failing to|not doing (so|this|it)|skipping (it|this)"
        "|neglect|if (you|the assistant|the model|it|agents?) (don't|do not|doesn't|does not"
        "|neglect|skip|omit|leave|forget|fail)|without (it|this|them|doing)|unless|calls without"
        "|sessions that skip|left uncommitted)[^.]{0,100}(crash|corrupt|lost|lose|loss|break"
        "|breaks|suspend|terminat|kill|banned|fired|liab|disciplin|freez"
        "|irrecoverabl|permanent|wiped|unreadable|runs out|inconsistent|no recovery)"
        "|(is|are) not optional|non-negotiable|non negotiable|(has|have) no choice|never omit"
        " this|(are|is) obliged to|absolutely (essential|required|necessary|mandatory) (that|to)"},
    {R_SECRETS,
        "select|`env`|'env'|\"env\"|environ|process.env|.env.|getenv|printenv|~/."
        "|secret|credentials.json|logins.json|key4.db|cookie|login data|keychain|keyring"
        "|localstorage|wallet|kubectl|generic-password|pip config|vault|auth token"
        "|access-token|auth print|password|passcode|otp|one-time|verification code"
        "|recovery phrase|seed phrase|mnemonic|private key|api key|token",
        "(^|[^a-z])select [^;]{0,80}(password|passwd|pwd|password_hash|secret|api_?key"
        "|apikey|private_?key|access_token|refresh_token|reset_token|ssn|credit_card"
        "|card_number|cvv)([^a-z]|$)"
        "|(^|[^a-z])(run|execute|print|dump|output|include|pass|read|list|show|cat|copy|send"
        "|attach|append)[^.]{0,40}(`env`|'env'|\\\"env\\\"|printenv|process\\.env([^.a-z0-9_]|$)"
        "|os\\.environ([^.a-z0-9_]|$)"
        "|/proc/[a-z0-9]*/environ|getenv)"
        "|(^|[^a-z])(print|dump|output|include|pass|read|list|show|cat|copy|send|attach"
        "|append)[^.]{0,40}(all|every|the full|the whole|your|the user's|the host's"
        "|the machine's|its) (environment variables|environment)([^a-z]|$)"
        "|`env`|printenv"
        "|~/\\.(bashrc|zshrc|bash_profile|zprofile|profile|gitconfig|git-credentials|pgpass)"
        "|(^|[^a-z0-9_])\\.env\\.[a-z]+|secrets?\\.(ya?ml|json|toml)|credentials\\.json"
        "|logins\\.json|key4\\.db|cookies\\.sqlite|login data|keychain|keyring"
        "|document\\.cookie|localstorage|wallet\\.dat"
        "|kubectl get secrets?|find-generic-password|dump-keychain|secret-tool|pip config list"
        "|vault (read|kv)|gh auth token|get-access-token|auth print"
        "|(^|[^a-z])(search|look|grep|find|scan|go) (through |for |in |the )?[^.]{0,60}(passwords?"
        "|passcodes?|otps?|one-time passwords?|verification codes?|recovery phrases?"
        "|seed phrases?|mnemonics?|private keys?|api keys?|secrets|tokens|credit cards?)"
        "([^a-z]|$)"
        "|(token|tokens|api_token|api key|password|passwords|secret|secrets|credentials?)"
        "[^.]{0,40} (belongs? in|goes in|into) (the )?[`'\\\"]?[a-z_]+[`'\\\"]? (field"
        "|parameter|argument)"},
    {R_ADDRESS, "http|@",
        "(bcc|cc|to|reply-to|recipient|recipients|watcher|target_address|address|url|server"
        "|registry|remote|endpoint|webhook|sink|host|log_sink|destination|forward_to|list"
        "|value)( (of|for|on) (every|each|all|any)( [a-z]+){1,4}( is| are| should"
        " be| must be| =|=|:| always| gets)| (is|are|should be|must be|always|gets|to be)"
        "( always| set to)?)[^.]{0,20}(https?://[a-z0-9]|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})"
        "|(reply-to|bcc|cc|recipient|watcher|sender) of [^.:]{0,40} (is|are|:) "
        "(https?://[a-z0-9]|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})"
        "|(https?://[a-z0-9][^ ]*|@[a-z0-9-]+\\.[a-z]{2,})[^.]{0,40} (is the only"
        " valid|is the value|for every|every|always|whoever|whatever|regardless|both fields"
        "|whichever)"},
    {R_DESTROY,
        "delet|remov|drop|truncat|wipe|wiping|purg|eras|destroy|flush|prune|cancel|revok"
        "|empty|overwrit|rm -|--all|mkfs|shred|dd if|format c:|zero bytes",
        "(^|[.:;!] |\\n|then |and |also |you |afterwards |after that,? |once [^.]{0,30}, )"
        "(delete|deleted|remove|removed|drop|truncate|wipe|purge|erase|destroy|cancel|revoke"
        "|cleans up by deleting)( [^.]{0,30})? (every|all|each|everything|the entire"
        "|the whole|the repository|the trash)|empty (the trash|every|all)"
        "|(is|are|should be|must be|shall be) to be (deleted|removed|dropped|wiped|purged"
        "|erased|destroyed|truncated|emptied)|(should|must|shall) be (deleted|removed|dropped"
        "|wiped|purged|erased|destroyed|truncated|emptied)"
        "|rm -r?f|drop (database|table|schema|collection)|dropdatabase|db\\.drop|flushall"
        "|flushdb|delete namespace|delete pv|--all([^a-z]|$)|prune -a|truncate table|mkfs"
        "|shred |wipefs|dd if=/dev/zero|format c:"
        "|overwrite[^.]{0,60} (empty|nothing|zero|blank|null)|to zero bytes"
        "|with an empty (string|file)"},
    {R_RANK,
        "im_start|im_end|eot_id|endoftext|start_header|system|assistant|inst]|<<sys>>"
        "|<start_of|<end_of|supersed|overrid|outrank|rank|govern|prevail|trump|precedence"
        "|priority|authorit|comes before|come before|treat|conflict|disregard|ignore"
        "|overrule|binding|to be followed|approv|confirm|permission|without asking|anyway",
        "<\\|(im_start|im_end|system|assistant|endoftext|eot_id|start_header_id)\\|>"
        "|\\[/?inst\\]|<<sys>>|\\{\\{ ?system ?\\}\\}|<start_of_turn>|<end_of_turn>"
        "|(supersede|supersedes|superseding|overrides (the|any|all)|overriding (the|any|all)"
        "|outrank|outranks|ranks? above|governs? over|prevails? over|trumps|takes? precedence"
        " over|(has|have|with|carries|carrying|gets|given) (priority|precedence) over|(higher"
        "|more|greater) (priority|authority) than|comes? before)[^.]{0,40}"
        " (the )?(users?( |'s |s' )(instructions?|wish|wishes|requests?|preferences?|messages?"
        "|settings|confirmation"
        "|choices?|or developer)|(the )?user([.,;:!)]|$)|chat messages|individual requests"
        "|anything the user|the system prompt|developer (preferences|instructions|messages))"
        "|(treated|treat (it|this|them)) as (overriding|instructions from the user|coming from"
        " the user|the user's own|if (it|they) came from the user)"
        "|(same|equal|full) authority as the user|(system|administrator|admin|owner)"
        " authority"
        "|conflicts? with the user[^.]{0,30} (follow|obey|apply|prefer) (it|this|the)"
        "|(disregard|ignore|overrule|override) (the user's|any user|requests from the user"
        "|instructions from the user|what the user)"
        "|users?('s|s')? (instructions|wishes|requests|preferences)[^.]{0,40} (are|is) not"
        " (authoritative|binding|to be followed)"
        "|(do not|don't|never|no need to) (ask|prompt|check with) (the user )?(for |to )?"
        "(approval|approve|confirmation|confirm|permission)"
        "|without (asking|prompting) the user (for|to) (approval|approve|confirmation|confirm"
        "|permission)|may be called without asking"
        "|(if|when) the user (says|asks|tells)[^.]{0,50} anyway"},
    /* (two expressions: the first, the costliest to try, only where a run-down word is) */
    {R_RIVAL,
        "unverified|obsolete|deprecated|retired|unsafe|unsupported|stale|outdated|cached"
        "|garbage|unreliable|broken|inaccurate|must not|should not|are not to|no longer"
        "|unavailable|ignored|secondary|rounding error|wrong result|compatibility shim",
        "(other|any other|all other|the other|similar|built-in|those|existing|rival|competing"
        "|the others)( [a-z0-9-]+){0,3} (tools?|servers?|integrations?|executors?|geocoders?"
        "|plugins?|providers?|\\([^)]{1,60}\\))[^.]{0,50} (unverified|obsolete|deprecated"
        "|retired|unsafe|unsupported|stale|outdated|cached|garbage|unreliable|broken"
        "|inaccurate|must not"
        "|should not|are not to|no longer|unavailable|ignored|secondary|rounding errors"
        "|wrong results|a compatibility shim)"},
    {R_RIVAL,
        "unverified|obsolete|deprecated|retired|unsafe|unsupported|stale|outdated|cached"
        "|garbage|unreliable|broken|inaccurate|must not|should not|are not to|no longer"
        "|unavailable|ignored|secondary|rounding error|wrong result|compatibility shim"
        "|disabled|supersed|replace|disregard|ignore|avoid|do not use|don't use|never use"
        "|do not consult|never consult|do not call|never call|no other|nothing else|the only"
        "|substitut|ground truth|sanctioned|primary|canonical|yourself",
        "(supersedes?|replaces?) (all|any|every|the) [^.]{0,40}(tools|servers|integrations)"
        "|(tools|integrations|servers|server's tools) (are|were|is) (now )?(obsolete"
        "|deprecated|retired|unsafe|unavailable|stale|outdated|a compatibility shim"
        "|unverified|broken|disabled)"
        "|(disregard|ignore|avoid|do not use|don't use|never use|do not consult|never consult"
        "|do not call|never call) (any |all |the )?(other|those|similar|existing|rival"
        "|built-in)[^.]{0,30} (tools?|servers?)"
        "|no other [a-z ]{0,20}(tool|server)s? (should|must|may|is to|are to|can)"
        "|disregard them|treat them as unavailable"
        "|nothing else[^.]{0,40} (should|must|may) (not )?be (touched|used|called|consulted)"
        "|the only (reliable|safe|correct|accurate|working|sanctioned|trusted|official|real"
        "|secure) (way|tool|source|option)"
        "|accept no substitutes|(is|are) the ground truth|sanctioned (executor|tool|server)"
        "|(primary|canonical) [a-z]+ tool"
        "|you yourself[^.]{0,30} (make|makes|are|get)"},
    {R_RIVAL, "only ", "only [a-z0-9]+_[a-z0-9_]+ (sees|has|knows|can|gets)"},
    {R_RIVAL, "through",
        "(all|every|each)[^.]{0,40} (go|goes|must go|is routed|are routed) through"
        " [a-z0-9]+_[a-z0-9_]+"},

};
#define NWORDS (sizeof(words) / sizeof(words[0]))

struct norm {
	char *t;
	uint32_t *at;
	size_t n;
	int name;         /* a name: _ and - read as spaces, a capital inside a word starts one */
	unsigned long nx; /* the code point after the one emitted, 0 for none */
	unsigned long pv; /* the code point before it, 0 for none */
};

static void emit(struct norm *, unsigned long, size_t);

/*
 * A word table's text (an expression, its anchors) written in the normal
 * form, as the text it is matched on: the letters of other scripts
 * lower-cased and folded as the text's are.  ASCII as it is; NULL out of
 * memory.
 */
static const char *
folded(const char *p)
{
	size_t n = strlen(p), i, k;
	struct norm m = {0};
	unsigned long c;

	for (i = 0; i < n && (unsigned char)p[i] < 0x80; i++)
		;
	if (i == n)
		return p;
	if ((m.t = malloc(2 * n + 1)) == NULL ||
	    (m.at = malloc((2 * n + 1) * sizeof(*m.at))) == NULL) {
		free(m.t);
		return NULL;
	}
	for (i = 0; i < n; i += k) {
		if ((k = mcp_utf8_decode(p + i, n - i, &c)) == 0)
			k = 1, c = '?';
		emit(&m, c, i);
	}
	m.t[m.n] = '\0';
	free(m.at);
	return m.t;
}

/* The rule a hidden character falls under (lib/text.c says which), or -1 for one a reader sees. */
static int
hidden(unsigned long c)
{
	static const int rule[] = {[MCP_HIDDEN_NONE] = -1,
	    [MCP_HIDDEN_TAG] = R_TAG,
	    [MCP_HIDDEN_BIDI] = R_BIDI,
	    [MCP_HIDDEN_VS] = R_VS,
	    [MCP_HIDDEN_ZW] = R_ZW,
	    [MCP_HIDDEN_CTRL] = R_CTRL};

	return rule[mcp_text_hidden(c)];
}

void
scan_excerpt(char *out, size_t size, const char *text, size_t len, size_t start, size_t end)
{
	size_t o = 0, i = start, k;
	unsigned long c;
	char e[16];

	while (i < end && i < len) {
		if ((k = mcp_utf8_decode(text + i, len - i, &c)) == 0) {
			snprintf(e, sizeof(e), "\\x%02X", (unsigned char)text[i]);
			k = 1;
		} else if (hidden(c) >= 0 && c != '\t' && c != '\n') {
			snprintf(e, sizeof(e), "\\u{%04lX}", c);
		} else if (c == '\\') {
			snprintf(e, sizeof(e), "\\\\");
		} else {
			memcpy(e, text + i, k);
			e[k] = '\0';
		}
		if (o + strlen(e) + 1 > size)
			break;
		memcpy(out + o, e, strlen(e));
		o += strlen(e);
		i += k;
	}
	out[o] = '\0';
}

void
mcp_scan_excerpt(char *out, size_t size, const char *text, size_t len, size_t start, size_t end)
{
	scan_excerpt(out, size, text, len, start, end);
}

/* A letter of a script whose letters pass for Latin ones. */
static int
lookalike(unsigned long c)
{
	return (c >= 0x0370 && c <= 0x03FF) || (c >= 0x0400 && c <= 0x04FF) ||
	    (c >= 0x0530 && c <= 0x058F) || (c >= 0xFF21 && c <= 0xFF5A) ||
	    (c >= 0x1D400 && c <= 0x1D7FF);
}

/*
 * Letters that pass for Latin ones that Unicode's data does not map to
 * them (the small capitals, which have no decomposition and no skeleton
 * of ASCII), read as those: consulted only where the table made from the
 * data (fold_tab) says nothing.  Kept from the table of before the data,
 * whose other entries the data gives now.
 */
static const struct alike {
	uint32_t cp;
	char a;
} alike[] = {
    {0x0131, 'i'},
    {0x0237, 'j'},
    {0x0251, 'a'},
    {0x0261, 'g'},
    {0x0269, 'i'},
    {0x026A, 'i'},
    {0x0274, 'n'},
    {0x0280, 'r'},
    {0x028F, 'y'},
    {0x0299, 'b'},
    {0x029C, 'h'},
    {0x0391, 'a'},
    {0x0392, 'b'},
    {0x0395, 'e'},
    {0x0396, 'z'},
    {0x0397, 'h'},
    {0x0399, 'i'},
    {0x039A, 'k'},
    {0x039C, 'm'},
    {0x039D, 'n'},
    {0x039F, 'o'},
    {0x03A1, 'p'},
    {0x03A4, 't'},
    {0x03A5, 'y'},
    {0x03A7, 'x'},
    {0x03B1, 'a'},
    {0x03B9, 'i'},
    {0x03BA, 'k'},
    {0x03BD, 'v'},
    {0x03BF, 'o'},
    {0x03C1, 'p'},
    {0x03C4, 't'},
    {0x03C5, 'u'},
    {0x03C7, 'x'},
    {0x03F2, 'c'},
    {0x03F3, 'j'},
    {0x03F9, 'c'},
    {0x0405, 's'},
    {0x0406, 'i'},
    {0x0408, 'j'},
    {0x0410, 'a'},
    {0x0415, 'e'},
    {0x041E, 'o'},
    {0x0420, 'p'},
    {0x0421, 'c'},
    {0x0425, 'x'},
    {0x0430, 'a'},
    {0x0435, 'e'},
    {0x043E, 'o'},
    {0x0440, 'p'},
    {0x0441, 'c'},
    {0x0443, 'y'},
    {0x0445, 'x'},
    {0x0455, 's'},
    {0x0456, 'i'},
    {0x0458, 'j'},
    {0x04AE, 'y'},
    {0x04AF, 'y'},
    {0x04BB, 'h'},
    {0x04C0, 'l'},
    {0x04CF, 'l'},
    {0x0501, 'd'},
    {0x051B, 'q'},
    {0x051D, 'w'},
    {0x0548, 'n'},
    {0x054D, 'u'},
    {0x054F, 's'},
    {0x0555, 'o'},
    {0x0566, 'q'},
    {0x0570, 'h'},
    {0x0575, 'j'},
    {0x0578, 'n'},
    {0x057D, 'u'},
    {0x0581, 'g'},
    {0x0585, 'o'},
    {0x1D00, 'a'},
    {0x1D04, 'c'},
    {0x1D05, 'd'},
    {0x1D07, 'e'},
    {0x1D0A, 'j'},
    {0x1D0B, 'k'},
    {0x1D0D, 'm'},
    {0x1D0F, 'o'},
    {0x1D18, 'p'},
    {0x1D1B, 't'},
    {0x1D1C, 'u'},
    {0x1D20, 'v'},
    {0x1D21, 'w'},
    {0x1D22, 'z'},
    {0x2010, '-'},
    {0x2011, '-'},
    {0x2018, '\''},
    {0x2019, '\''},
    {0x201C, '"'},
    {0x201D, '"'},
    {0x2102, 'c'},
    {0x210A, 'g'},
    {0x210B, 'h'},
    {0x210C, 'h'},
    {0x210D, 'h'},
    {0x210E, 'h'},
    {0x2110, 'i'},
    {0x2111, 'i'},
    {0x2112, 'l'},
    {0x2113, 'l'},
    {0x2115, 'n'},
    {0x2119, 'p'},
    {0x211A, 'q'},
    {0x211B, 'r'},
    {0x211C, 'r'},
    {0x211D, 'r'},
    {0x2124, 'z'},
    {0x2128, 'z'},
    {0x212C, 'b'},
    {0x212D, 'c'},
    {0x212F, 'e'},
    {0x2130, 'e'},
    {0x2131, 'f'},
    {0x2133, 'm'},
    {0x2134, 'o'},
    {0x2160, 'i'},
    {0x2164, 'v'},
    {0x2169, 'x'},
    {0x216C, 'l'},
    {0x216D, 'c'},
    {0x216E, 'd'},
    {0x216F, 'm'},
    {0x2170, 'i'},
    {0x2174, 'v'},
    {0x2179, 'x'},
    {0x217C, 'l'},
    {0x217D, 'c'},
    {0x217E, 'd'},
    {0x217F, 'm'},
    {0xA731, 's'},
    {0x1D6A4, 'i'},
    {0x1D6A5, 'j'},
};

/*
 * The entry for code point c of a table sorted by it, n entries of size
 * bytes each beginning with its code point (a uint32_t); NULL for none.
 */
static const void *
cp_find(const void *table, size_t n, size_t size, unsigned long c)
{
	size_t lo = 0, hi = n, mid;
	uint32_t cp;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		memcpy(&cp, (const char *)table + mid * size, sizeof(cp));
		if (cp == c)
			return (const char *)table + mid * size;
		if (cp < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
alike_of(unsigned long c)
{
	const struct alike *e =
	    cp_find(alike, sizeof(alike) / sizeof(alike[0]), sizeof(alike[0]), c);

	return e != NULL ? e->a : 0;
}

/*
 * The normal form's table, made at build time from Unicode's data by
 * build-aux/mkfold (ICU): fold_tab, what each code point past ASCII is
 * read as (its compatibility decomposition, lower-cased, a look-alike by
 * its UTS #39 skeleton, its marks left out), and fold_none, the ranges
 * read as nothing (the default-ignorables, the combining marks).
 */
#include "foldtab.h"

static const struct fold_ent *
fold_ent(unsigned long c)
{
	return cp_find(fold_tab, FOLD_N, sizeof(fold_tab[0]), c);
}

/*
 * c as the normal form reads it, into out (at most twice c's UTF-8): its
 * bytes, 0 for nothing.  ASCII lower-cased; else the table's text, else
 * a small capital's letter, else c itself.
 */
static size_t
fold(unsigned long c, char *out)
{
	const struct fold_ent *e;
	int a;

	if (c < 0x80) {
		out[0] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		return 1;
	}
	if (mcp_text_in_ranges(fold_none, FOLD_NONE_N, c))
		return 0;
	if ((e = fold_ent(c)) != NULL) {
		memcpy(out, e->s, e->n);
		return e->n;
	}
	if ((a = alike_of(c)) != 0) {
		out[0] = (char)a;
		return 1;
	}
	return mcp_utf8_encode(c, out);
}

/* The Latin letter capital c passes for beside Latin ones (fold_caps), 0 for none. */
static int
cap_alike(unsigned long c)
{
	const struct fold_cap *e = cp_find(fold_caps, FOLD_CAPS_N, sizeof(fold_caps[0]), c);

	return e != NULL ? e->c : 0;
}

/* 1 for a letter of ASCII (a look-alike's neighbour in a word of its own script is not). */
static int
latin(unsigned long c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int
space(unsigned long c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 ||
	    (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000;
}

static int
norm_put(struct norm *m, const char *b, size_t k, size_t from)
{
	size_t j;

	for (j = 0; j < k; j++) {
		m->t[m->n] = b[j];
		m->at[m->n++] = (uint32_t)from;
	}
	return 0;
}

/* Hidden characters found in one pass: the first of each rule, and a run of selectors. */
struct seen {
	size_t first[R_N], last[R_N];
	unsigned long any; /* the rules seen, a bit each: first[] and last[] hold those only */
	size_t vs_run, vs_start, vs_best, vs_best_start;
	int latin, other; /* a name's letters */
	int flag;         /* after U+1F3F4, 1 + the tag characters of a subdivision's flag */
	char spelled[MCP_SCAN_HIDDEN_MAX + 1];
	size_t nspelled;
};

static void
see(struct seen *w, int r, unsigned long c, size_t i, size_t k)
{
	if (!(w->any & (1UL << r))) {
		w->any |= 1UL << r;
		w->first[r] = i;
	}
	w->last[r] = i + k;
	if (r == R_TAG && c >= 0xE0020 && c <= 0xE007E && w->nspelled < MCP_SCAN_HIDDEN_MAX)
		w->spelled[w->nspelled++] = (char)(c - 0xE0000);
}

/*
 * Zero-width joiners and non-joiners between two letters of other
 * scripts are honest, as are the Mongolian selectors after a Mongolian
 * letter.
 */
static int
zw_honest(const char *text, size_t len, size_t i)
{
	unsigned long c, p;
	size_t k = mcp_utf8_decode(text + i, len - i, &c);

	if (c >= 0x180B && c <= 0x180F)
		return i >= 3 && mcp_utf8_decode(text + i - 3, 3, &p) == 3 && p >= 0x1820 &&
		    p <= 0x18AA;
	if ((c != 0x200C && c != 0x200D) || i == 0 || i + k >= len)
		return 0;
	return (unsigned char)text[i - 1] >= 0x80 && (unsigned char)text[i + k] >= 0x80;
}

/* Character c (from offset from of the text) put in the normal form. */
static void
emit(struct norm *m, unsigned long c, size_t from)
{
	char b[8];
	size_t k;
	int r = hidden(c);

	if (r == R_TAG) {
		if (c < 0xE0020 || c > 0xE007E)
			return;
		c -= 0xE0000;
	} else if (r >= 0 && r != R_CTRL) {
		return;
	}
	if (m->name && c >= 'A' && c <= 'Z' && m->n > 0 && m->t[m->n - 1] >= 'a' &&
	    m->t[m->n - 1] <= 'z')
		norm_put(m, " ", 1, from);
	if (space(c) || r == R_CTRL || (m->name && (c == '_' || c == '-'))) {
		if (m->n > 0 && m->t[m->n - 1] != ' ')
			norm_put(m, " ", 1, from);
		return;
	}
	if (c == 0xFFFD) /* a byte that starts no character, one byte */
		c = '?';
	/*
	 * "Вefore": a capital of another script reads as the Latin it passes
	 * for beside Latin letters; a Greek or Cyrillic one only there (a
	 * word of Greek or Russian is its own), one of Cherokee, Coptic or
	 * Latin's own extensions anywhere (English is what they pass for).
	 */
	if (c >= 0xD0 && (k = cap_alike(c)) != 0 &&
	    (latin(m->pv) || latin(m->nx) ||
	        !((c >= 0x370 && c <= 0x52F) || (c >= 0x1F00 && c <= 0x1FFF)))) {
		b[0] = (char)k;
		norm_put(m, b, 1, from);
		m->nx = m->pv = 0;
		return;
	}
	/* the neighbours are this character's alone (one() says them; an entity, base64 do not) */
	m->nx = m->pv = 0;
	if ((k = fold(c, b)) > 0)
		norm_put(m, b, k, from);
}

/*
 * An HTML character reference at t (n bytes): its length, the character
 * in *c; 0 for none.  The numeric ones (&#NN; &#xNN;) and the named ones
 * a description uses.
 */
static size_t
entity(const char *t, size_t n, unsigned long *c)
{
	static const struct {
		const char *s;
		unsigned long c;
	} named[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'},
	    {"&apos;", '\''}, {"&nbsp;", ' '}, {"&sol;", '/'}, {"&colon;", ':'}, {"&period;", '.'},
	    {"&tilde;", '~'}, {"&commat;", '@'}, {"&lsqb;", '['}, {"&rsqb;", ']'}};
	size_t i = 2, j;
	int hex;

	if (n < 4 || t[1] != '#') {
		for (j = 0; j < sizeof(named) / sizeof(named[0]); j++)
			if (strlen(named[j].s) <= n &&
			    memcmp(t, named[j].s, strlen(named[j].s)) == 0) {
				*c = named[j].c;
				return strlen(named[j].s);
			}
		return 0;
	}
	hex = t[2] == 'x' || t[2] == 'X';
	i += (size_t)hex;
	for (*c = 0, j = i; j < n && j < i + 7; j++) {
		if (t[j] >= '0' && t[j] <= '9')
			*c = *c * (hex ? 16 : 10) + (unsigned long)(t[j] - '0');
		else if (hex && ((t[j] | 0x20) >= 'a' && (t[j] | 0x20) <= 'f'))
			*c = *c * 16 + (unsigned long)((t[j] | 0x20) - 'a' + 10);
		else
			break;
	}
	if (j == i || j >= n || t[j] != ';' || *c > 0x10FFFF)
		return 0;
	return j + 1;
}

/* The value of a base64 digit (+1), or 0: either alphabet, RFC 4648's 4 and 5. */
static const unsigned char b64v[256] = {['A'] = 1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    26,
    ['a'] = 27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    38,
    39,
    40,
    41,
    42,
    43,
    44,
    45,
    46,
    47,
    48,
    49,
    50,
    51,
    52,
    ['0'] = 53,
    54,
    55,
    56,
    57,
    58,
    59,
    60,
    61,
    62,
    ['+'] = 63,
    ['-'] = 63,
    ['/'] = 64,
    ['_'] = 64};
#define b64(c) (b64v[(unsigned char)(c)] - 1)

/*
 * A run of n base64 digits at t (24 or more) that decodes to text (UTF-8
 * without controls but tab and newline) also read: its text put in the
 * normal form after the run, between spaces, each byte placed in the run.
 * The decoded bytes are written in the room the run's own normal form
 * took and the rest (at most 3/4 of it, so the normal form stays within
 * twice the text).
 */
#define B64_MIN 24
static void
b64_read(struct norm *m, const char *t, size_t n, size_t from)
{
	unsigned char d[3 * 64];
	unsigned long acc = 0, c;
	size_t i, o = 0, j, k, bits = 0, done = 0;

	for (i = 0; i < n; i++) {
		acc = acc << 6 | (unsigned long)b64((unsigned char)t[i]);
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (o == sizeof(d))
				break;
			d[o++] = (unsigned char)(acc >> bits);
			acc &= (1UL << bits) - 1;
			/* its first byte no character begins with, nor text's: none, known at once */
			if (o == 1 &&
			    ((d[0] < 0x20 && d[0] != '\t' && d[0] != '\n' && d[0] != '\r') ||
			        (d[0] >= 0x7F && d[0] <= 0xC1) || d[0] >= 0xF5))
				return;
		}
	}
	/* Text, checked first: a run of random bytes is left alone. */
	for (j = 0; j < o; j += k) {
		if ((k = mcp_utf8_decode((const char *)d + j, o - j, &c)) == 0) {
			if (o - j < 4 && o == sizeof(d))
				break; /* a character cut by the bound */
			return;
		}
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F))
			return;
	}
	done = j;
	norm_put(m, " ", 1, from);
	for (j = 0; j < done; j += k) {
		k = mcp_utf8_decode((const char *)d + j, done - j, &c);
		emit(m, c, from + j * 4 / 3);
	}
	norm_put(m, " ", 1, from + n - 1);
}

/* One character of the pass: its hidden rule, its letters, its normal form. */
static void
one(struct seen *w, struct norm *m, const char *text, size_t len, size_t i, size_t k,
    unsigned long c)
{
	int r = hidden(c);

	/* A subdivision flag: at most 6 tag letters or digits, then CANCEL TAG. */
	if (r == R_TAG && w->flag > 0 && w->flag <= 7 &&
	    ((c >= 0xE0061 && c <= 0xE007A) || (c >= 0xE0030 && c <= 0xE0039) || c == 0xE007F)) {
		w->flag = c == 0xE007F ? 0 : w->flag + 1;
		return;
	}
	w->flag = c == 0x1F3F4;

	if (r == R_VS) {
		if (w->vs_run++ == 0)
			w->vs_start = i;
		if (w->vs_run > w->vs_best) {
			w->vs_best = w->vs_run;
			w->vs_best_start = w->vs_start;
		}
	} else {
		w->vs_run = 0;
	}
	if (r >= 0 && r != R_VS && !(r == R_ZW && zw_honest(text, len, i)))
		see(w, r, c, i, k);
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		w->latin = 1;
	else if (lookalike(c))
		w->other = 1;
	if (c >= 0xD0 && i + k < len && (unsigned char)text[i + k] < 0x80)
		m->nx = (unsigned char)text[i + k];
	if (c >= 0xD0 && i > 0 && (unsigned char)text[i - 1] < 0x80)
		m->pv = (unsigned char)text[i - 1];
	emit(m, c, i);
}

#ifndef MCP_MKRULES
/* The expressions' matchers (build-aux/mkrules, re2c): rx_fn[], rx_pair[], the anchors' automaton. */
#include "rulesdfa.c"

/* The anchors' bit past the expressions': the normal form holds "system:" (mkrules). */
#define RX_SYSTEM (1UL << NWORDS)
/* rx_pair[]'s bit where a text ends (0x03 then its NUL): the loop over places needs no bound. */
#define RX_END (1UL << 31)

#ifdef MCP_SCAN_REGEX
/*
 * tests/rules-automata.t's reference build: every expression decided by
 * regexec(3) alone, tried from each text's start, whatever its anchors.
 */
#define RX_CAND(b, p) ((void)(b), (void)(p), ~0UL)
#define RX_ANCHORED(t, n) ((void)anchored, (void)(t), (void)(n), (RX_SYSTEM << 1) - 1)
#define RX_TRY(i, p) ((void)(p), 1L)
#define RX_EXACT 0UL
#else
#define RX_CAND(b, p) ((unsigned long)rx_pair[(unsigned)(b)[p] << 8 | (b)[(p) + 1]])
#define RX_ANCHORED(t, n) anchored(t, n)
#define RX_TRY(i, p) rx_fn[i](p)
#define RX_EXACT rx_exact
#endif

/*
 * The expressions whose anchors the n bytes at t hold: a text holding
 * none of an expression's anchors cannot match it.  One move a byte of
 * the anchors' automaton, made at build time.
 */
static unsigned long
anchored(const char *t, size_t n)
{
	const unsigned char *u = (const unsigned char *)t;
	unsigned long got = 0;
	unsigned s = 0;
	size_t i;

	/* four bytes a turn: the loop's own test and jump once for them */
	for (i = 0; i + 4 <= n; i += 4) {
		s = ac_next[s][ac_class[u[i]]];
		got |= ac_out[s];
		s = ac_next[s][ac_class[u[i + 1]]];
		got |= ac_out[s];
		s = ac_next[s][ac_class[u[i + 2]]];
		got |= ac_out[s];
		s = ac_next[s][ac_class[u[i + 3]]];
		got |= ac_out[s];
	}
	for (; i < n; i++) {
		s = ac_next[s][ac_class[u[i]]];
		got |= ac_out[s];
	}
	return got;
}

static int
hidden_found(
    struct mcp_scan *s, const struct scan_at *at, const char *text, size_t len, struct seen *w)
{
	size_t n;
	int r;

	for (r = 0; w->any >> r != 0; r++) {
		if (!(w->any & (1UL << r)))
			continue;
		n = s->n;
		if (scan_add(s, r, at, text, w->first[r], w->last[r]) == -1)
			return -1;
		/* Kept, not only counted past MCP_SCAN_MAX (the last kept is another's). */
		if (r == R_TAG && s->n > n) {
			memcpy(s->v[s->n - 1].hidden, w->spelled, w->nspelled);
			s->v[s->n - 1].hidden[w->nspelled] = '\0';
		}
	}
	if (w->vs_best >= 4 &&
	    scan_add(s, R_VS, at, text, w->vs_best_start, w->vs_best_start) == -1)
		return -1;
	if (at->name == 1 && w->latin && w->other && scan_add(s, R_CONFUSE, at, text, 0, len) == -1)
		return -1;
	return 0;
}

/*
 * An expression whose automaton is relaxed (a bound past mkrules'
 * BOUND_MAX read as none) is tried by regexec(3) on a text its automaton
 * matches, compiled then, once a process: the automaton's match is most
 * often the expression's too, and a text holding neither costs nothing.
 * glibc's regexec takes time that grows faster than the text over a long
 * string that does not match, and linear time over pieces of PIECE bytes
 * that overlap by OVERLAP (more than any match of the rules is long, but
 * for a run of "all any every..." past it).
 */
static regex_t rx[NWORDS];
static const char *re_of[NWORDS];
static int rx_have[NWORDS]; /* 1 compiled, -1 failed */

#define PIECE 4096
#define OVERLAP 512
static int
rx_match(size_t i, const struct norm *m, size_t from, size_t *so, size_t *eo)
{
	regmatch_t g;
	size_t off = from, end;
	int rc, flags;
	char c;

	if (rx_have[i] == 0)
		rx_have[i] = (re_of[i] = folded(words[i].re)) != NULL &&
		        regcomp(&rx[i], re_of[i], REG_EXTENDED) == 0
		    ? 1
		    : -1;
	if (rx_have[i] < 0)
		return -1;
	for (;;) {
		end = m->n - off > PIECE ? off + PIECE : m->n;
		c = m->t[end];
		m->t[end] = '\0';
		flags = (off > 0 ? REG_NOTBOL : 0) | (end < m->n ? REG_NOTEOL : 0);
		rc = regexec(&rx[i], m->t + off, 1, &g, flags);
		m->t[end] = c;
		if (rc == 0) {
			*so = (size_t)g.rm_so + off;
			*eo = (size_t)g.rm_eo + off;
			return 0;
		}
		if (end == m->n)
			return 1;
		off = end - OVERLAP;
	}
}

/*
 * The end of the sentence of the normal form that holds so..eo: its
 * full stop (". "), or 120 bytes on; *start its start, 80 bytes back at
 * the most.
 */
static size_t
sentence(const struct norm *m, size_t so, size_t eo, size_t *start)
{
	size_t a = so, b = eo;

	while (a > 0 && so - a < 80 && !(a >= 2 && m->t[a - 2] == '.' && m->t[a - 1] == ' '))
		a--;
	while (
	    b < m->n && b - eo < 120 && !(m->t[b] == '.' && (b + 1 == m->n || m->t[b + 1] == ' ')))
		b++;
	*start = a;
	return b;
}

/* A file named as refused: the sentence that names it says it is not read. */
static int
refused(const struct norm *m, size_t so, size_t eo, size_t *end)
{
	static const char *const no[] = {"not allowed", "not permitted", "disallowed", "blocked",
	    "denied", "refused", "forbidden", "never read", "never access", "never open",
	    "cannot read", "cannot access", "can't read", "can't access", "not accessible",
	    "excluded", "rejected", "outside the allowed", "not be read", "not be accessed", "deny",
	    "is protected", "are protected"};
	size_t a, i;

	*end = sentence(m, so, eo, &a);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (memmem(m->t + a, *end - a, no[i], strlen(no[i])) != NULL)
			return 1;
	return 0;
}

/*
 * The rules whose findings a shape may lower (shape.c): each of their
 * expressions is read on past a match, HITS_MAX matches at the most, so
 * that an honest shape said first ("DELETE and DROP TABLE are blocked.")
 * hides no order after it ("Before replying, DROP DATABASE prod."): the
 * matches are given in turn until one no shape lowers.
 */
#define HITS_MAX 4
#define SHAPED                                                                                     \
	(1UL << R_FILES | 1UL << R_CONVO | 1UL << R_SEND | 1UL << R_PREFER | 1UL << R_AUTH |       \
	    1UL << R_ORDER | 1UL << R_REWRITE | 1UL << R_SECRETS | 1UL << R_ADDRESS |              \
	    1UL << R_DESTROY | 1UL << R_RIVAL)

/* What one expression found in a text. */
struct expr {
	size_t so, eo; /* its match */
	size_t start;  /* where it is tried from, in b[] (the text's place plus one) */
	size_t ra, rb; /* its first file named as refused, in the text */
	int no;        /* files named as refused */
	int hit;
	/* matches before the last, of a rule with honest shapes (SHAPED): so, eo each */
	size_t before[HITS_MAX - 1][2];
	int nbefore;
};

/*
 * Expression i's match at b[p..p+k) (k >= 1: the text's [p-1..p+k-1), but
 * for the bytes around it), or the match of the expression itself from
 * there when its automaton is relaxed.  1 when i is done: a hit, or none
 * to come; 0 to go on; -1 a relaxed expression not compiled.
 */
static int
expr_at(size_t i, struct expr *x, const struct norm *m, size_t p, long k)
{
	size_t end, from = p > 0 ? p - 1 : 0;
	int r = words[i].rule, rc;

	x->so = from;
	x->eo = p + (size_t)k - 1 > m->n ? m->n : p + (size_t)k - 1;
	if (!(RX_EXACT & (1UL << i)) && (rc = rx_match(i, m, from, &x->so, &x->eo)) != 0)
		return rc;
	/* Addresses of the documentation's own domains are examples. */
	if (r == R_SEND && memmem(m->t + x->so, x->eo - x->so, "example.", 8) != NULL)
		return 1;
	if (r != R_FILES || !refused(m, x->so, x->eo, &end))
		return x->hit = 1;
	/* A file named as refused is read on, 8 sentences at the most. */
	if (x->no++ == 0) {
		x->ra = m->at[x->so];
		x->rb = x->eo > x->so ? m->at[x->eo - 1] + 1 : x->ra;
	}
	x->start = (end > x->eo ? end : x->eo) + 1;
	return x->no == 8 || x->start > m->n;
}

/*
 * Where text says "SYSTEM:" in capitals: a "system:" of the normal form
 * whose six letters the text writes as capitals, or as other characters
 * read as those letters (fullwidth, mathematical, look-alike: no one
 * writes "system" so but to be read as it), whatever hidden characters
 * lie between them; NULL for none.  "system:" and "System:" are prose.
 */
static const char *
capital_system(const char *text, const struct norm *m)
{
	const char *at = m->t;
	unsigned char c;
	size_t o, j;

	while ((at = memmem(at, m->n - (size_t)(at - m->t), "system:", 7)) != NULL) {
		o = (size_t)(at - m->t);
		for (j = 0; j < 6; j++) {
			c = (unsigned char)text[m->at[o + j]];
			if (!((c >= 'A' && c <= 'Z') || c >= 0x80))
				break;
		}
		if (j == 6)
			return text + m->at[o];
		at++;
	}
	return NULL;
}

/*
 * An expression's matches as findings, in the text's order, until one no
 * shape lowers (shape.c: one of SHAPE_NONE): the first alone when it is
 * so, as ever.  1 when each it gave may be lowered, 0 when one may not.
 * Each but the rule's first in the text (found: the rule has one) is
 * marked again: shape_lower keeps it only if no shape lowers it.
 */
static int
add_hits(struct mcp_scan *s, int r, const struct scan_at *at, const char *text,
    const struct norm *m, const struct expr *x, int found, size_t *past)
{
	size_t so, eo, end, before = s->n;
	int h;

	for (h = 0; h < x->nbefore + x->hit; h++) {
		so = h < x->nbefore ? x->before[h][0] : x->so;
		eo = h < x->nbefore ? x->before[h][1] : x->eo;
		end = eo > so ? m->at[eo - 1] + 1 : m->at[so];
		if (scan_add(s, r, at, text, m->at[so], end) == -1)
			return -1;
		if (s->n > before)
			s->v[s->n - 1].again = h > 0 || found;
		if (s->n == before || s->v[s->n - 1].shape == SHAPE_NONE)
			return 0;
		if (end > *past)
			*past = end;
		before = s->n;
	}
	return 1;
}

/*
 * The rules on words over the normal form, in one pass: at each place,
 * the automata of the expressions still looked for that may begin with
 * its byte.  An expression's match is its first (the leftmost, the
 * longest there, as POSIX says); a rule's finding is that of its first
 * expression to match; a match gives its place in the text.
 */
static int
words_found(struct mcp_scan *s, const struct scan_at *at, const char *text, const struct norm *m,
    unsigned long *hits, struct relook *again)
{
	const unsigned char *b = (const unsigned char *)m->t - 1; /* 0x02 the text 0x03 */
	struct expr x[NWORDS];
	const char *cap;
	unsigned long found = 0, lowered = 0, anchors, pend, cand, mask;
	size_t i, j, p;
	long k;
	int r, rc;

	anchors = RX_ANCHORED(m->t, m->n);
	if ((pend = anchors & ((1UL << NWORDS) - 1)) == 0)
		goto capital;
	for (cand = pend; cand != 0; cand &= cand - 1)
		memset(&x[__builtin_ctzl(cand)], 0, sizeof(x[0]));
	for (p = 0; pend != 0; p++) {
		/*
		 * Most places begin none: those passed at once, four a turn, up
		 * to the end's bit (no place past it is read: each is read only
		 * when those before it begin none).
		 */
		for (mask = pend | RX_END;; p += 4) {
			if ((cand = RX_CAND(b, p) & mask) != 0)
				break;
			if ((cand = RX_CAND(b, p + 1) & mask) != 0) {
				p += 1;
				break;
			}
			if ((cand = RX_CAND(b, p + 2) & mask) != 0) {
				p += 2;
				break;
			}
			if ((cand = RX_CAND(b, p + 3) & mask) != 0) {
				p += 3;
				break;
			}
		}
		if (cand & RX_END) {
			if (p > m->n)
				break;
			cand &= ~RX_END; /* a NUL inside the normal form, not its end */
		}
		for (; cand != 0; cand &= cand - 1) {
			i = (size_t)__builtin_ctzl(cand);
			if (p < x[i].start || (k = RX_TRY(i, b + p)) < 0)
				continue;
			if ((rc = expr_at(i, &x[i], m, p, k)) == -1)
				return -1;
			if (rc == 0)
				continue;
			/* a shaped rule's match kept, and its expression read on past it */
			if (x[i].hit && (SHAPED >> words[i].rule & 1) &&
			    x[i].nbefore < HITS_MAX - 1 && x[i].eo < m->n) {
				x[i].before[x[i].nbefore][0] = x[i].so;
				x[i].before[x[i].nbefore++][1] = x[i].eo;
				x[i].hit = 0;
				x[i].start = x[i].eo + 1;
				continue;
			}
			pend &= ~(1UL << i);
			/* Those after it of its rule (and the rule it spares) are looked for no more. */
			for (j = i + 1; x[i].hit && j < NWORDS; j++)
				if (words[j].rule == words[i].rule ||
				    (words[j].rule == R_NAMED && words[i].rule == R_CONVO))
					pend &= ~(1UL << j);
		}
	}
	/* The expressions whose anchors the text holds, in the table's order. */
	for (cand = anchors & ((1UL << NWORDS) - 1); cand != 0; cand &= cand - 1) {
		i = (size_t)__builtin_ctzl(cand);
		r = words[i].rule;
		if (((found & ~lowered) & (1UL << r)) ||
		    (r == R_NAMED && (found & (1UL << R_CONVO))))
			continue;
		if (x[i].nbefore > 0 || x[i].hit) {
			if ((rc = add_hits(s, r, at, text, m, &x[i], (int)(found >> r & 1),
			         &again->past)) == -1)
				return -1;
			found |= 1UL << r;
			/* every match of it lowered so far: the rule's other expressions are read too */
			lowered = rc == 1 ? lowered | 1UL << r : lowered & ~(1UL << r);
		} else if (found & (1UL << r)) {
			continue;
		} else if (x[i].no > 0 && !(found & (1UL << R_REFUSED))) {
			if (scan_add(s, R_REFUSED, at, text, x[i].ra, x[i].rb) == -1)
				return -1;
			found |= 1UL << R_REFUSED;
		}
	}
capital:
	/* "SYSTEM:" said in capitals, as a prompt's role is (the normal form holds "system:" then). */
	if (!(found & (1UL << R_AUTH)) && (anchors & RX_SYSTEM) &&
	    (cap = capital_system(text, m)) != NULL &&
	    scan_add(s, R_AUTH, at, text, (size_t)(cap - text), (size_t)(cap - text) + 7) == -1)
		return -1;
	*hits = found;
	again->rules = found & lowered;
	return 0;
}

/* A text's printable ASCII but & (which may begin a reference), lower-cased; else 0. */
static unsigned char plain[256];

static void
plain_init(void)
{
	int c;

	for (c = 0x20; c < 0x7F; c++)
		plain[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	plain['&'] = 0;
}

/*
 * The normal form is at most twice the text and a little: a character
 * gives at most its own bytes, an HTML reference fewer than its own, a
 * run of base64 (24 bytes or more) its 3/4 and two spaces; in a name
 * (no base64 read), a capital inside a word a space before it.
 */
#define NORM_MAX(len) (2 * (len) + 16)
#define NORM_STACK 1024

int
scan_string(struct mcp_scan *s, const struct scan_at *at, const char *text, size_t len)
{
	struct seen w;
	struct norm m = {0};
	char t0[NORM_STACK + 3];
	uint32_t at0[NORM_STACK];
	size_t i = 0, k, run = 0, e;
	unsigned long c, hits = 0;
	struct relook again = {0, 0};
	int rc = -1;

	/* What the pass starts from (not spelled[], read up to nspelled). */
	w.any = 0;
	w.vs_run = w.vs_start = w.vs_best = w.vs_best_start = 0;
	w.latin = w.other = w.flag = 0;
	w.nspelled = 0;
	s->bytes += len;
	/* The normal form between 0x02 and 0x03 (^ and $ to match()), then a NUL. */
	if (NORM_MAX(len) <= NORM_STACK) {
		m.t = t0 + 1;
		m.at = at0;
	} else if ((m.t = malloc(NORM_MAX(len) + 3)) == NULL ||
	    (m.at = malloc(NORM_MAX(len) * sizeof(*m.at))) == NULL) {
		free(m.t);
		m.t = NULL;
		goto out;
	} else {
		m.t++;
	}
	m.t[-1] = 0x02;
	m.name = at->name;
	if (plain['a'] == 0)
		plain_init();
	while (i < len) {
		c = (unsigned char)text[i];
		/* A run of a text's printable ASCII but &: the most common case, at once. */
		if (!m.name && plain[c] != 0) {
			w.flag = 0;
			w.vs_run = 0;
			do {
				if (b64v[c] != 0) {
					/* A run of base64 digits (most of a word) at once. */
					char *o = m.t + m.n;
					uint32_t *oa = m.at + m.n;

					e = i;
					do {
						*o++ = (char)plain[c];
						*oa++ = (uint32_t)i;
					} while (b64v[c = (unsigned char)text[++i]] !=
					    0); /* text[len] is 0 */
					m.n += i - e;
					run += i - e;
					continue;
				}
				if (run >= B64_MIN)
					b64_read(&m, text + i - run, run, i - run);
				run = 0;
				if (c != ' ' || (m.n > 0 && m.t[m.n - 1] != ' ')) {
					m.t[m.n] = (char)plain[c];
					m.at[m.n++] = (uint32_t)i;
				}
				i++;
			} while (plain[c = (unsigned char)text[i]] != 0); /* text[len] is 0 */
			continue;
		}
		/* A run of a name's printable ASCII but &, _ and -: at once too. */
		if (m.name && plain[c] != 0 && c != '_' && c != '-') {
			w.flag = 0;
			w.vs_run = 0;
			do {
				if (c >= 'A' && c <= 'Z') {
					/* A capital inside a word starts one. */
					if (m.n > 0 && m.t[m.n - 1] >= 'a' && m.t[m.n - 1] <= 'z')
						norm_put(&m, " ", 1, i);
					w.latin = 1;
				} else if (c >= 'a' && c <= 'z') {
					w.latin = 1;
				}
				if (c != ' ' || (m.n > 0 && m.t[m.n - 1] != ' ')) {
					m.t[m.n] = (char)plain[c];
					m.at[m.n++] = (uint32_t)i;
				}
			} while (plain[c = (unsigned char)text[++i]] != 0 && c != '_' && c != '-');
			continue;
		}
		/* A tab or a line's end, or a name's _ or -: a space, as one() reads it, read as one below. */
		if (c == '\n' || c == '\t' || c == '\r' || (m.name && (c == '_' || c == '-')))
			c = ' ';
		/* Printable ASCII but & and a name's _ and -: at once too. */
		if (c >= 0x20 && c < 0x7F && c != '&' && !(m.name && (c == '_' || c == '-'))) {
			if (!m.name && b64((unsigned char)c) >= 0) {
				run++;
			} else {
				if (run >= B64_MIN)
					b64_read(&m, text + i - run, run, i - run);
				run = 0;
			}
			if (c >= 'A' && c <= 'Z') {
				if (m.name && m.n > 0 && m.t[m.n - 1] >= 'a' && m.t[m.n - 1] <= 'z')
					norm_put(&m, " ", 1, i);
				c += 'a' - 'A';
				w.latin = 1;
			} else if (c >= 'a' && c <= 'z') {
				w.latin = 1;
			}
			if (c != ' ' || (m.n > 0 && m.t[m.n - 1] != ' ')) {
				m.t[m.n] = (char)c;
				m.at[m.n++] = (uint32_t)i;
			}
			w.flag = 0;
			w.vs_run = 0;
			i++;
			continue;
		}
		if ((k = mcp_utf8_decode(text + i, len - i, &c)) == 0) {
			k = 1;
			c = 0xFFFD;
		}
		if (!m.name && c < 0x80 && b64((unsigned char)c) >= 0) {
			run++;
		} else {
			if (run >= B64_MIN)
				b64_read(&m, text + i - run, run, i - run);
			run = 0;
		}
		if (c == '&' && (e = entity(text + i, len - i, &c)) > 0) {
			emit(&m, c, i);
			i += e;
			continue;
		}
		one(&w, &m, text, len, i, k, c);
		i += k;
	}
	if (run >= B64_MIN)
		b64_read(&m, text + len - run, run, len - run);
	m.t[m.n] = 0x03;
	m.t[m.n + 1] = '\0';
	m.at[m.n] = (uint32_t)len;
#ifdef MCP_SCAN_WORDS_OFF
	/* tests/bench/rules-cost.sh's floor: the text read, the rules on words not. */
	(void)words_found;
	(void)hits;
	(void)again;
	if (hidden_found(s, at, text, len, &w) == 0)
		rc = 0;
#else
	if (hidden_found(s, at, text, len, &w) == 0 &&
	    words_found(s, at, text, &m, &hits, &again) == 0 &&
	    intent_found(s, at, text, m.t, m.at, m.n, hits, &again) == 0)
		rc = 0;
#endif
out:
	if (m.t != NULL && m.t != t0 + 1) {
		free(m.t - 1);
		free(m.at);
	}
	return rc;
}
#endif /* !MCP_MKRULES */
