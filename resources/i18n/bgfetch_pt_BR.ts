<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AltSpeedSection</name>
    <message>
        <source>None (e.g. 200K per second)</source>
        <translation>Nenhum (por ex. 200K por segundo)</translation>
    </message>
    <message>
        <source>Replaces the speed limit while it is on: by hand, from the tray, or on its schedule</source>
        <translation>Substitui o limite de velocidade enquanto está ligado: à mão, pela bandeja ou no seu horário</translation>
    </message>
    <message>
        <source>Only by hand (e.g. 08:00-18:00 mon-fri)</source>
        <translation>Só à mão (por ex. 08:00-18:00 mon-fri)</translation>
    </message>
    <message>
        <source>Turns on when this window opens and off when it closes; a change by hand holds until then</source>
        <translation>Liga quando este horário começa e desliga quando termina; uma mudança à mão vale até lá</translation>
    </message>
    <message>
        <source>Use the alternative limit no&amp;w</source>
        <translation>Usar o limite alternativo a&amp;gora</translation>
    </message>
    <message>
        <source>Alternative l&amp;imit:</source>
        <translation>Limite alt&amp;ernativo:</translation>
    </message>
    <message>
        <source>Alternative limit sc&amp;hedule:</source>
        <translation>&amp;Horário do limite alternativo:</translation>
    </message>
</context>
<context>
    <name>ClipboardSection</name>
    <message>
        <source>Offer to download links I &amp;copy</source>
        <translation>Oferecer para baixar os links que eu &amp;copiar</translation>
    </message>
    <message>
        <source>A notification offers each new http(s) link copied to the clipboard; nothing is downloaded without a click</source>
        <translation>Uma notificação oferece cada novo link http(s) copiado para a área de transferência; nada é baixado sem um clique</translation>
    </message>
    <message>
        <source>Links to any file (or e.g.: zip iso mp4 pdf)</source>
        <translation>Links para qualquer arquivo (ou, por ex.: zip iso mp4 pdf)</translation>
    </message>
    <message>
        <source>Only links to files of these types are offered</source>
        <translation>Só são oferecidos links para arquivos destes tipos</translation>
    </message>
    <message>
        <source>File types of copied links to offer</source>
        <translation>Tipos de arquivo dos links copiados a oferecer</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Allow downloads from a web site?</source>
        <translation>Permitir downloads de um site?</translation>
    </message>
    <message>
        <source>A web page wants bgfetch to download files for it. They will go to your Downloads folder.</source>
        <translation>Uma página da web quer que o bgfetch baixe arquivos para ela. Eles irão para a sua pasta Downloads.</translation>
    </message>
    <message>
        <source>(no title)</source>
        <translation>(sem título)</translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation>tamanho desconhecido</translation>
    </message>
    <message>
        <source>Site:</source>
        <translation>Site:</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Título:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Tamanho:</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>Arquivos:</translation>
    </message>
    <message>
        <source>Allow &amp;once</source>
        <translation>Permitir &amp;uma vez</translation>
    </message>
    <message>
        <source>&amp;Always allow</source>
        <translation>Permitir &amp;sempre</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>&amp;Negar</translation>
    </message>
</context>
<context>
    <name>FetchFilterProxy</name>
    <message>
        <source>All</source>
        <translation>Todos</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Ativos</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Concluídos</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Com falha</translation>
    </message>
</context>
<context>
    <name>FetchListModel</name>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progresso</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Velocidade</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Restante</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Situação</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Fila</translation>
    </message>
    <message>
        <source>{column} of {title}</source>
        <translation>{column} de {title}</translation>
    </message>
    <message>
        <source>{title}
{state}
id: {id}
folder: {folder}</source>
        <translation>{title}
{state}
id: {id}
pasta: {folder}</translation>
    </message>
</context>
<context>
    <name>FilesDialog</name>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progresso</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Situação</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Caminho</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Ignorado</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Interrompido</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Baixando</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Não iniciado</translation>
    </message>
    <message>
        <source>Files of {title}</source>
        <translation>Arquivos de {title}</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Colunas</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>não iniciado</translation>
    </message>
    <message>
        <source>{done} of {total} files complete · {state}</source>
        <translation>{done} de {total} arquivos completos · {state}</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Abrir</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>Abrir &amp;pasta</translation>
    </message>
    <message>
        <source>Copy &amp;URL</source>
        <translation>Copiar &amp;URL</translation>
    </message>
    <message>
        <source>Copy &amp;path</source>
        <translation>Copiar &amp;caminho</translation>
    </message>
    <message>
        <source>Copy SHA-&amp;256</source>
        <translation>Copiar SHA-&amp;256</translation>
    </message>
    <message>
        <source>&amp;Retry the failed files</source>
        <translation>&amp;Tentar de novo os arquivos com falha</translation>
    </message>
    <message>
        <source>Computing the SHA-256 of {name}…</source>
        <translation>Calculando o SHA-256 de {name}…</translation>
    </message>
    <message>
        <source>{name} is not there any more</source>
        <translation>{name} não está mais lá</translation>
    </message>
    <message>
        <source>SHA-256 of {name} copied: {sha256}</source>
        <translation>SHA-256 de {name} copiado: {sha256}</translation>
    </message>
    <message>
        <source>Replace &amp;URL…</source>
        <translation>Substituir &amp;URL…</translation>
    </message>
    <message>
        <source>Retry this &amp;file</source>
        <translation>Tentar este &amp;arquivo de novo</translation>
    </message>
    <message>
        <source>&amp;Skip this file</source>
        <translation>&amp;Ignorar este arquivo</translation>
    </message>
</context>
<context>
    <name>LinkPrompt</name>
    <message>
        <source>1 file</source>
        <translation>1 arquivo</translation>
    </message>
    <message>
        <source>{count} files</source>
        <translation>{count} arquivos</translation>
    </message>
    <message>
        <source>{size} at most</source>
        <translation>{size} no máximo</translation>
    </message>
    <message>
        <source>size not given</source>
        <translation>tamanho não informado</translation>
    </message>
    <message>
        <source>Files from: {hosts}</source>
        <translation>Arquivos de: {hosts}</translation>
    </message>
    <message>
        <source>Manifest from: {source}</source>
        <translation>Manifesto de: {source}</translation>
    </message>
    <message>
        <source>Download with bgfetch?</source>
        <translation>Baixar com o bgfetch?</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Baixar</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Totals</source>
        <translation>Totais</translation>
    </message>
    <message>
        <source>Fetches</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>Every fetch with its progress, size, speed, time left and status. Enter opens its folder; the context menu key shows what can be done with it.</source>
        <translation>Cada download com seu progresso, tamanho, velocidade, tempo restante e situação. Enter abre a pasta; a tecla de menu de contexto mostra o que dá para fazer com ele.</translation>
    </message>
    <message>
        <source>Columns (click to sort)</source>
        <translation>Colunas (clique para ordenar)</translation>
    </message>
    <message>
        <source>&amp;New fetch…</source>
        <translation>&amp;Novo download…</translation>
    </message>
    <message>
        <source>Download a bundle of URLs</source>
        <translation>Baixar um conjunto de URLs</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Retomar</translation>
    </message>
    <message>
        <source>&amp;Abort…</source>
        <translation>&amp;Cancelar…</translation>
    </message>
    <message>
        <source>Stop the fetch for good; files already complete are kept</source>
        <translation>Interromper o download de vez; os arquivos já completos são mantidos</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>&amp;Tentar de novo</translation>
    </message>
    <message>
        <source>Register a failed fetch again, keeping what was downloaded</source>
        <translation>Registrar de novo um download com falha, mantendo o que já foi baixado</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Abrir pasta</translation>
    </message>
    <message>
        <source>Show &amp;files…</source>
        <translation>Mostrar ar&amp;quivos…</translation>
    </message>
    <message>
        <source>Re&amp;move from list</source>
        <translation>Re&amp;mover da lista</translation>
    </message>
    <message>
        <source>Forget the fetch; its files stay on disk</source>
        <translation>Esquecer o download; os arquivos continuam no disco</translation>
    </message>
    <message>
        <source>Remove and &amp;delete files…</source>
        <translation>Remover e &amp;excluir arquivos…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Configurações…</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Localizar</translation>
    </message>
    <message>
        <source>Pause &amp;all</source>
        <translation>Pausar to&amp;dos</translation>
    </message>
    <message>
        <source>Resume a&amp;ll</source>
        <translation>Retomar t&amp;odos</translation>
    </message>
    <message>
        <source>&amp;About bgfetch</source>
        <translation>&amp;Sobre o bgfetch</translation>
    </message>
    <message>
        <source>Read the &amp;manual (README)</source>
        <translation>Ler o &amp;manual (README)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Sair</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Show fetches</source>
        <translation>Mostrar downloads</translation>
    </message>
    <message>
        <source>All, active, done or failed fetches</source>
        <translation>Todos os downloads, ativos, concluídos ou com falha</translation>
    </message>
    <message>
        <source>Search titles</source>
        <translation>Pesquisar títulos</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Ações</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arquivo</translation>
    </message>
    <message>
        <source>&amp;Fetch</source>
        <translation>&amp;Download</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aj&amp;uda</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Abort {what}?

Files that are already complete are kept; partial files are deleted.</source>
        <translation>Cancelar {what}?

Os arquivos já completos são mantidos; os parciais são excluídos.</translation>
    </message>
    <message>
        <source>Move files to the Trash</source>
        <translation>Mover arquivos para a Lixeira</translation>
    </message>
    <message>
        <source>Remove {what} from the list and move its downloaded files to the Trash?

Partial files of unfinished downloads are deleted.</source>
        <translation>Remover {what} da lista e mover os arquivos baixados para a Lixeira?

Os arquivos parciais de downloads não concluídos são excluídos.</translation>
    </message>
    <message>
        <source>{count} fetches</source>
        <translation>{count} downloads</translation>
    </message>
    <message>
        <source>Could not move {count} file(s) to the Trash; they are still in {folder}</source>
        <translation>Não foi possível mover {count} arquivo(s) para a Lixeira; eles continuam em {folder}</translation>
    </message>
    <message>
        <source>1 fetch is not finished. It continues where it stopped the next time bgfetch starts.

Quit now?</source>
        <translation>1 download não terminou. Ele continua de onde parou na próxima vez que o bgfetch iniciar.

Sair agora?</translation>
    </message>
    <message>
        <source>{count} fetches are not finished. They continue where they stopped the next time bgfetch starts.

Quit now?</source>
        <translation>{count} downloads não terminaram. Eles continuam de onde pararam na próxima vez que o bgfetch iniciar.

Sair agora?</translation>
    </message>
    <message>
        <source>Moved to place {place} in the queue</source>
        <translation>Movido para a posição {place} na fila</translation>
    </message>
    <message>
        <source>Could not add the fetch: {error}</source>
        <translation>Não foi possível adicionar o download: {error}</translation>
    </message>
    <message>
        <source>Added “{name}”</source>
        <translation>“{name}” adicionado</translation>
    </message>
    <message>
        <source>Could not open the link: {error}</source>
        <translation>Não foi possível abrir o link: {error}</translation>
    </message>
    <message>
        <source>Could not save the settings: {error}</source>
        <translation>Não foi possível salvar as configurações: {error}</translation>
    </message>
    <message>
        <source>About bgfetch</source>
        <translation>Sobre o bgfetch</translation>
    </message>
    <message>
        <source>Quit bgfetch</source>
        <translation>Sair do bgfetch</translation>
    </message>
    <message>
        <source>Do not ask again</source>
        <translation>Não perguntar de novo</translation>
    </message>
</context>
<context>
    <name>NewFetchDialog</name>
    <message>
        <source>New fetch</source>
        <translation>Novo download</translation>
    </message>
    <message>
        <source>Optional: an image file or an http(s) URL</source>
        <translation>Opcional: um arquivo de imagem ou uma URL http(s)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>No limit (e.g. 60M or 1.5G)</source>
        <translation>Sem limite (por ex. 60M ou 1.5G)</translation>
    </message>
    <message>
        <source>The fetch fails at once if it receives more than this, as on the web.</source>
        <translation>O download falha na hora se receber mais do que isto, como na web.</translation>
    </message>
    <message>
        <source>Now (or e.g. 01:30 or 2026-12-24T01:30)</source>
        <translation>Agora (ou, por ex., 01:30 ou 2026-12-24T01:30)</translation>
    </message>
    <message>
        <source>The fetch waits in the queue until then</source>
        <translation>O download espera na fila até lá</translation>
    </message>
    <message>
        <source>Optional: e.g. sha256-BASE64</source>
        <translation>Opcional: p. ex. sha256-BASE64</translation>
    </message>
    <message>
        <source>One URL per line; they are downloaded together as one bundle.</source>
        <translation>Uma URL por linha; elas são baixadas juntas, como um só conjunto.</translation>
    </message>
    <message>
        <source>&amp;URLs:</source>
        <translation>&amp;URLs:</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Título:</translation>
    </message>
    <message>
        <source>&amp;Icon:</source>
        <translation>Í&amp;cone:</translation>
    </message>
    <message>
        <source>&amp;Save to:</source>
        <translation>&amp;Salvar em:</translation>
    </message>
    <message>
        <source>Download t&amp;otal:</source>
        <translation>T&amp;otal do download:</translation>
    </message>
    <message>
        <source>Start &amp;at:</source>
        <translation>&amp;Iniciar às:</translation>
    </message>
    <message>
        <source>The digest each file must match: line 1 for the first URL, line 2 for the second; an empty line for a URL without one.</source>
        <translation>O resumo que cada arquivo deve ter: a linha 1 para a primeira URL, a linha 2 para a segunda; uma linha vazia para uma URL sem resumo.</translation>
    </message>
    <message>
        <source>Inte&amp;grity:</source>
        <translation>I&amp;ntegridade:</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Baixar</translation>
    </message>
    <message>
        <source>Enter at least one URL.</source>
        <translation>Digite pelo menos uma URL.</translation>
    </message>
    <message>
        <source>download total: {problem}</source>
        <translation>total do download: {problem}</translation>
    </message>
    <message>
        <source>start at: {problem}</source>
        <translation>iniciar às: {problem}</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>… e mais {count}</translation>
    </message>
    <message>
        <source>https:// was added to line {line}.</source>
        <translation>https:// foi acrescentado à linha {line}.</translation>
    </message>
    <message>
        <source>https:// was added to {count} lines.</source>
        <translation>https:// foi acrescentado a {count} linhas.</translation>
    </message>
    <message>
        <source>A name for this bundle</source>
        <translation>Um nome para este conjunto</translation>
    </message>
    <message>
        <source>Line {line}: {reason}</source>
        <translation>Linha {line}: {reason}</translation>
    </message>
    <message>
        <source>there is no URL {number}</source>
        <translation>não há uma URL {number}</translation>
    </message>
    <message>
        <source>Integrity line {line}: {reason}</source>
        <translation>Integridade, linha {line}: {reason}</translation>
    </message>
    <message>
        <source>Choose an icon</source>
        <translation>Escolha um ícone</translation>
    </message>
    <message>
        <source>Images (*.png *.svg *.jpg *.jpeg *.ico *.webp)</source>
        <translation>Imagens (*.png *.svg *.jpg *.jpeg *.ico *.webp)</translation>
    </message>
    <message>
        <source>Save the files in</source>
        <translation>Salvar os arquivos em</translation>
    </message>
</context>
<context>
    <name>ProxySection</name>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>Use the system&apos;s proxy settings</source>
        <translation>Usar as configurações de proxy do sistema</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>Sem proxy</translation>
    </message>
    <message>
        <source>Manual (HTTP, HTTPS or SOCKS5)</source>
        <translation>Manual (HTTP, HTTPS ou SOCKS5)</translation>
    </message>
    <message>
        <source>Save in keyring</source>
        <translation>Salvar no chaveiro</translation>
    </message>
    <message>
        <source>Only if the proxy asks for a user name and password</source>
        <translation>Só se o proxy pedir nome de usuário e senha</translation>
    </message>
    <message>
        <source>&amp;Proxy:</source>
        <translation>&amp;Proxy:</translation>
    </message>
    <message>
        <source>Proxy &amp;URL:</source>
        <translation>&amp;URL do proxy:</translation>
    </message>
    <message>
        <source>User name, password:</source>
        <translation>Usuário, senha:</translation>
    </message>
    <message>
        <source>Enter the proxy&apos;s URL</source>
        <translation>Digite a URL do proxy</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Salvando…</translation>
    </message>
    <message>
        <source>Saved in the keyring for {proxy}</source>
        <translation>Salvo no chaveiro para {proxy}</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>Não salvo: {error}</translation>
    </message>
</context>
<context>
    <name>ReplaceUrlDialog</name>
    <message>
        <source>Replace URL</source>
        <translation>Substituir URL</translation>
    </message>
    <message>
        <source>New URL</source>
        <translation>Nova URL</translation>
    </message>
    <message>
        <source>The file continues where it stopped if the new URL serves the same version of it; otherwise it starts again.</source>
        <translation>O arquivo continua de onde parou se a nova URL servir a mesma versão dele; senão, recomeça.</translation>
    </message>
    <message>
        <source>New URL:</source>
        <translation>Nova URL:</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>bgfetch settings</source>
        <translation>Configurações do bgfetch</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>A big file from a server that answers ranges comes over this many connections</source>
        <translation>Um arquivo grande de um servidor que aceita intervalos (ranges) vem por esta quantidade de conexões</translation>
    </message>
    <message>
        <source>No file is cut into pieces smaller than this</source>
        <translation>Nenhum arquivo é dividido em partes menores que isto</translation>
    </message>
    <message>
        <source>Unlimited (e.g. 500K or 2M per second)</source>
        <translation>Ilimitada (por ex. 500K ou 2M por segundo)</translation>
    </message>
    <message>
        <source>Any time (e.g. 01:00-07:00 or 01:00-07:00 mon-fri)</source>
        <translation>A qualquer hora (por ex. 01:00-07:00 ou 01:00-07:00 mon-fri)</translation>
    </message>
    <message>
        <source>Downloads run only then, and wait in the queue otherwise</source>
        <translation>Os downloads só rodam nesse horário; fora dele, esperam na fila</translation>
    </message>
    <message>
        <source>How long to wait for a server to answer a connection</source>
        <translation>Quanto esperar até um servidor responder a uma conexão</translation>
    </message>
    <message>
        <source>A download that receives nothing this long is tried again</source>
        <translation>Um download que não recebe nada por este tempo é tentado de novo</translation>
    </message>
    <message>
        <source>Tries again after a network error or a busy server, waiting longer each time, before the fetch fails</source>
        <translation>Tenta de novo após um erro de rede ou um servidor ocupado, esperando mais a cada vez, antes de o download falhar</translation>
    </message>
    <message>
        <source>Hold downloads while on a &amp;metered network</source>
        <translation>Segurar os downloads em uma rede &amp;limitada</translation>
    </message>
    <message>
        <source>A phone&apos;s hotspot, say: downloads wait for another network</source>
        <translation>O roteador do celular, por exemplo: os downloads esperam por outra rede</translation>
    </message>
    <message>
        <source>Show &amp;notifications</source>
        <translation>Mostrar &amp;notificações</translation>
    </message>
    <message>
        <source>Progress of a download that takes a while</source>
        <translation>Progresso de um download que demora</translation>
    </message>
    <message>
        <source>Downloads that finish</source>
        <translation>Downloads que terminam</translation>
    </message>
    <message>
        <source>Downloads that fail</source>
        <translation>Downloads que falham</translation>
    </message>
    <message>
        <source>Start bgfetch when I log in</source>
        <translation>Iniciar o bgfetch quando eu entrar na sessão</translation>
    </message>
    <message>
        <source>Not available on this system yet</source>
        <translation>Ainda não disponível neste sistema</translation>
    </message>
    <message>
        <source>Download &amp;folder:</source>
        <translation>&amp;Pasta de downloads:</translation>
    </message>
    <message>
        <source>&amp;Parallel fetches:</source>
        <translation>Downloads &amp;simultâneos:</translation>
    </message>
    <message>
        <source>&amp;Transfers per fetch:</source>
        <translation>&amp;Transferências por download:</translation>
    </message>
    <message>
        <source>&amp;Connections per file:</source>
        <translation>C&amp;onexões por arquivo:</translation>
    </message>
    <message>
        <source>&amp;Minimum split size:</source>
        <translation>Tamanho &amp;mínimo de divisão:</translation>
    </message>
    <message>
        <source>Speed &amp;limit:</source>
        <translation>&amp;Limite de velocidade:</translation>
    </message>
    <message>
        <source>Download &amp;only:</source>
        <translation>Baixar s&amp;omente:</translation>
    </message>
    <message>
        <source>Connection &amp;timeout:</source>
        <translation>&amp;Tempo limite de conexão:</translation>
    </message>
    <message>
        <source>Sta&amp;ll timeout:</source>
        <translation>Tempo limite sem &amp;dados:</translation>
    </message>
    <message>
        <source>&amp;Retries:</source>
        <translation>&amp;Tentativas:</translation>
    </message>
    <message>
        <source>Quit bgfetch when all downloads are done</source>
        <translation>Sair do bgfetch quando todos os downloads terminarem</translation>
    </message>
    <message>
        <source>Once nothing is queued, downloading or waiting, bgfetch quits a few seconds later; paused downloads wait for the next start</source>
        <translation>Quando nada estiver na fila, baixando ou esperando, o bgfetch sai alguns segundos depois; os downloads pausados esperam o próximo início</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Geral</translation>
    </message>
    <message>
        <source>Web sites</source>
        <translation>Sites</translation>
    </message>
    <message>
        <source>Speed and schedule</source>
        <translation>Velocidade e horário</translation>
    </message>
    <message>
        <source>Folders by type</source>
        <translation>Pastas por tipo</translation>
    </message>
    <message>
        <source>Download folder</source>
        <translation>Pasta de downloads</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>&amp;Show bgfetch</source>
        <translation>&amp;Mostrar o bgfetch</translation>
    </message>
    <message>
        <source>&amp;New fetch…</source>
        <translation>&amp;Novo download…</translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation>&amp;Pausar todos</translation>
    </message>
    <message>
        <source>&amp;Resume all</source>
        <translation>&amp;Retomar todos</translation>
    </message>
    <message>
        <source>&amp;Limit speed</source>
        <translation>&amp;Limitar velocidade</translation>
    </message>
    <message>
        <source>&amp;Alternative limit</source>
        <translation>Limite &amp;alternativo</translation>
    </message>
    <message>
        <source>Open &amp;Downloads folder</source>
        <translation>Abrir a pasta &amp;Downloads</translation>
    </message>
    <message>
        <source>S&amp;ettings…</source>
        <translation>&amp;Configurações…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Sair</translation>
    </message>
    <message>
        <source>&amp;Limit speed to {rate}/s</source>
        <translation>&amp;Limitar velocidade a {rate}/s</translation>
    </message>
    <message>
        <source>&amp;Limit speed…</source>
        <translation>&amp;Limitar velocidade…</translation>
    </message>
    <message>
        <source>&amp;Alternative limit: {rate}/s</source>
        <translation>Limite &amp;alternativo: {rate}/s</translation>
    </message>
    <message>
        <source>&amp;Hide bgfetch</source>
        <translation>&amp;Ocultar o bgfetch</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Retomar</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <source>&amp;Show in window</source>
        <translation>&amp;Mostrar na janela</translation>
    </message>
    <message>
        <source>{count} more in the window…</source>
        <translation>Mais {count} na janela…</translation>
    </message>
</context>
<context>
    <name>TypeFoldersSection</name>
    <message>
        <source>Put files in folders by t&amp;ype</source>
        <translation>Colocar os arquivos em pastas por t&amp;ipo</translation>
    </message>
    <message>
        <source>A file goes to a folder such as Music or Video in the download folder; a bundle of one type goes there whole, a mixed one stays in its own folder</source>
        <translation>Um arquivo vai para uma pasta como Música ou Vídeo na pasta de downloads; um pacote de um só tipo vai inteiro para lá, um misto fica na sua própria pasta</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Pasta</translation>
    </message>
    <message>
        <source>Types</source>
        <translation>Tipos</translation>
    </message>
    <message>
        <source>Folders by type</source>
        <translation>Pastas por tipo</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Colunas</translation>
    </message>
    <message>
        <source>Extensions (mp3 flac) and MIME types (audio/*), separated by spaces</source>
        <translation>Extensões (mp3 flac) e tipos MIME (audio/*), separados por espaços</translation>
    </message>
    <message>
        <source>&amp;Add folder</source>
        <translation>&amp;Adicionar pasta</translation>
    </message>
    <message>
        <source>Remo&amp;ve folder</source>
        <translation>Remo&amp;ver pasta</translation>
    </message>
    <message>
        <source>D&amp;efaults</source>
        <translation>Pad&amp;rões</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>Nova pasta</translation>
    </message>
</context>
<context>
    <name>WebSitesPage</name>
    <message>
        <source>Web pages use bgfetch through the browser extension. A site you have not decided about is asked for the first time it downloads.</source>
        <translation>As páginas da web usam o bgfetch pela extensão do navegador. Um site sobre o qual você ainda não decidiu é perguntado na primeira vez que baixar algo.</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Site</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Decisão</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>Cota</translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation>&amp;Permitir</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>&amp;Negar</translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Esquecer</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>Permitido</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Negado</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>bgfetch keeps running</source>
        <translation>O bgfetch continua rodando</translation>
    </message>
    <message>
        <source>Downloads go on in the tray. Use Quit in its menu to leave.</source>
        <translation>Os downloads continuam na bandeja do sistema. Use Sair no menu dela para encerrar.</translation>
    </message>
    <message>
        <source>Download with bgfetch?</source>
        <translation>Baixar com o bgfetch?</translation>
    </message>
    <message>
        <source>{url}
Click here to download it.</source>
        <translation>{url}
Clique aqui para baixar.</translation>
    </message>
    <message>
        <source>No system tray here: closing this window quits bgfetch.</source>
        <translation>Não há bandeja do sistema aqui: fechar esta janela encerra o bgfetch.</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>ID is a fetch&apos;s id or a unique start of it; ID~1 is the fetch that had the id
before the newest, ID~2 the one before that.

exit codes: 0 success, 1 the fetch failed, 2 bad input or usage,
3 bgfetch could not do it (no engine, busy data folder, internal error),
130 interrupted (Ctrl+C pauses the fetch).</source>
        <translation>ID é o id de um fetch ou um começo único dele; ID~1 é o fetch que tinha o id
antes do mais novo, ID~2 o anterior a esse.

códigos de saída: 0 sucesso, 1 o fetch falhou, 2 entrada ou uso inválido,
3 o bgfetch não conseguiu (sem motor, pasta de dados ocupada, erro interno),
130 interrompido (Ctrl+C pausa o fetch).</translation>
    </message>
    <message>
        <source>the fetch: its id, a unique start of it, or ID~N for an older one</source>
        <translation>o fetch: seu id, um começo único dele ou ID~N para um mais antigo</translation>
    </message>
    <message>
        <source>print JSON for scripts (docs/contracts.md §4) instead of text</source>
        <translation>imprime JSON para scripts (docs/contracts.md §4) em vez de texto</translation>
    </message>
    <message>
        <source>Background Fetch for the desktop.</source>
        <translation>Background Fetch para o desktop.</translation>
    </message>
    <message>
        <source>print the version and exit</source>
        <translation>mostra a versão e sai</translation>
    </message>
    <message>
        <source>register a bundle of downloads</source>
        <translation>registra um pacote de downloads</translation>
    </message>
    <message>
        <source>an http(s) URL to download</source>
        <translation>uma URL http(s) a baixar</translation>
    </message>
    <message>
        <source>the fetch&apos;s id (default: a new one, printed first)</source>
        <translation>o id do fetch (padrão: um novo, impresso primeiro)</translation>
    </message>
    <message>
        <source>a title for people (the bundle folder&apos;s name)</source>
        <translation>um título para pessoas (o nome da pasta do pacote)</translation>
    </message>
    <message>
        <source>an icon for the window and notifications (repeatable)</source>
        <translation>um ícone para a janela e as notificações (repetível)</translation>
    </message>
    <message>
        <source>the most bytes the fetch may download, e.g. 60M (0: no limit)</source>
        <translation>o máximo de bytes que o fetch pode baixar, p. ex. 60M (0: sem limite)</translation>
    </message>
    <message>
        <source>the folder for the files (default: Downloads/TITLE)</source>
        <translation>a pasta dos arquivos (padrão: Downloads/TÍTULO)</translation>
    </message>
    <message>
        <source>register the fetch a .bgfetch file describes</source>
        <translation>registra o fetch descrito por um arquivo .bgfetch</translation>
    </message>
    <message>
        <source>this fetch&apos;s speed limit per second, e.g. 500K or 2M</source>
        <translation>o limite de velocidade deste fetch por segundo, p. ex. 500K ou 2M</translation>
    </message>
    <message>
        <source>wait until TIME to start: HH:MM (the next one) or a date and time such as 2026-12-24T01:30</source>
        <translation>espera até TIME para começar: HH:MM (a próxima) ou uma data e hora como 2026-12-24T01:30</translation>
    </message>
    <message>
        <source>this fetch&apos;s proxy: http://, https:// or socks5://host:port, or none (credentials: bgfetch login --proxy URL)</source>
        <translation>o proxy deste fetch: http://, https:// ou socks5://host:porta, ou none (credenciais: bgfetch login --proxy URL)</translation>
    </message>
    <message>
        <source>the digest a URL&apos;s file must match, e.g. sha256-BASE64 (repeatable: the first for the first URL, and so on; &quot;&quot; for none)</source>
        <translation>o digest que o arquivo de uma URL deve ter, p.ex. sha256-BASE64 (repetível: o primeiro para a primeira URL, e assim por diante; &quot;&quot; para nenhum)</translation>
    </message>
    <message>
        <source>block until the fetch settles, with a progress bar on a terminal</source>
        <translation>espera o fetch terminar, com uma barra de progresso num terminal</translation>
    </message>
    <message>
        <source>every fetch, active and settled, as a table</source>
        <translation>todos os fetches, ativos e encerrados, numa tabela</translation>
    </message>
    <message>
        <source>one fetch with its files</source>
        <translation>um fetch com seus arquivos</translation>
    </message>
    <message>
        <source>block until ID settles, with a progress bar on a terminal</source>
        <translation>espera ID terminar, com uma barra de progresso num terminal</translation>
    </message>
    <message>
        <source>pause ID</source>
        <translation>pausa ID</translation>
    </message>
    <message>
        <source>resume ID</source>
        <translation>retoma ID</translation>
    </message>
    <message>
        <source>cancel ID and delete its unfinished files</source>
        <translation>cancela ID e apaga seus arquivos incompletos</translation>
    </message>
    <message>
        <source>set ID&apos;s own speed limit, also while it runs</source>
        <translation>define o limite de velocidade próprio de ID, também enquanto roda</translation>
    </message>
    <message>
        <source>per second, e.g. 500K or 2M; 0: none</source>
        <translation>por segundo, p. ex. 500K ou 2M; 0: nenhum</translation>
    </message>
    <message>
        <source>move ID in the queue of fetches waiting to start</source>
        <translation>move ID na fila de fetches à espera de começar</translation>
    </message>
    <message>
        <source>first to start</source>
        <translation>o primeiro a começar</translation>
    </message>
    <message>
        <source>one place earlier</source>
        <translation>um lugar antes</translation>
    </message>
    <message>
        <source>one place later</source>
        <translation>um lugar depois</translation>
    </message>
    <message>
        <source>last to start</source>
        <translation>o último a começar</translation>
    </message>
    <message>
        <source>change when ID may start</source>
        <translation>mudar quando ID pode começar</translation>
    </message>
    <message>
        <source>HH:MM (the next one), a date and time such as 2026-12-24T01:30, or now</source>
        <translation>HH:MM (a próxima), uma data e hora como 2026-12-24T01:30, ou now</translation>
    </message>
    <message>
        <source>use the alternative speed limit (on) or the usual one (off)</source>
        <translation>usar o limite de velocidade alternativo (on) ou o habitual (off)</translation>
    </message>
    <message>
        <source>on or off</source>
        <translation>on ou off</translation>
    </message>
    <message>
        <source>the file&apos;s number, from 1, as `bgfetch show ID` lists them</source>
        <translation>o número do arquivo, a partir de 1, como `bgfetch show ID` os lista</translation>
    </message>
    <message>
        <source>download file N of ID from URL from now on (an expired link); it continues where it stopped if URL serves the same version of the file</source>
        <translation>baixar o arquivo N de ID a partir de URL daqui em diante (um link expirado); ele continua de onde parou se URL servir a mesma versão do arquivo</translation>
    </message>
    <message>
        <source>the new http(s) URL</source>
        <translation>a nova URL http(s)</translation>
    </message>
    <message>
        <source>download the failed files of ID again, or only file N with --file</source>
        <translation>baixar de novo os arquivos de ID que falharam, ou só o arquivo N com --file</translation>
    </message>
    <message>
        <source>leave file N of ID out and keep the others; its partial file is deleted</source>
        <translation>deixar de fora o arquivo N de ID e manter os outros; o arquivo parcial é apagado</translation>
    </message>
    <message>
        <source>save a user name and password for URL&apos;s origin in the OS keyring</source>
        <translation>guarda um usuário e uma senha para a origem da URL no chaveiro do sistema</translation>
    </message>
    <message>
        <source>any URL of the origin</source>
        <translation>qualquer URL da origem</translation>
    </message>
    <message>
        <source>the user name (asked for when missing)</source>
        <translation>o nome de usuário (perguntado se faltar)</translation>
    </message>
    <message>
        <source>forget the credentials of URL&apos;s origin</source>
        <translation>esquece as credenciais da origem da URL</translation>
    </message>
    <message>
        <source>URL is a proxy&apos;s</source>
        <translation>URL é de um proxy</translation>
    </message>
    <message>
        <source>web origins that may use bgfetch through the browser extension</source>
        <translation>origens web que podem usar o bgfetch pela extensão do navegador</translation>
    </message>
    <message>
        <source>every origin&apos;s decision and quota</source>
        <translation>a decisão e a cota de cada origem</translation>
    </message>
    <message>
        <source>let ORIGIN&apos;s pages use bgfetch without asking</source>
        <translation>deixa as páginas de ORIGIN usarem o bgfetch sem perguntar</translation>
    </message>
    <message>
        <source>refuse ORIGIN&apos;s pages without asking</source>
        <translation>recusa as páginas de ORIGIN sem perguntar</translation>
    </message>
    <message>
        <source>ask again the next time ORIGIN wants to fetch</source>
        <translation>pergunta de novo na próxima vez que ORIGIN quiser baixar</translation>
    </message>
    <message>
        <source>e.g. https://example.org</source>
        <translation>p. ex. https://example.org</translation>
    </message>
    <message>
        <source>what ORIGIN&apos;s fetches may hold (default 10G)</source>
        <translation>quanto os fetches de ORIGIN podem ocupar (padrão 10G)</translation>
    </message>
    <message>
        <source>run the headless engine</source>
        <translation>roda o motor sem janela</translation>
    </message>
    <message>
        <source>ask the running engine to checkpoint and exit</source>
        <translation>pede ao motor em execução que salve o estado e saia</translation>
    </message>
    <message>
        <source>cannot use the data folder {folder}: {error}</source>
        <translation>não é possível usar a pasta de dados {folder}: {error}</translation>
    </message>
    <message>
        <source>internal error: {error}; please report it with {report}</source>
        <translation>erro interno: {error}; por favor, relate-o com {report}</translation>
    </message>
    <message>
        <source>bgfetch {version} and the command you ran</source>
        <translation>bgfetch {version} e o comando que você executou</translation>
    </message>
    <message>
        <source>--manifest cannot be combined with URLs or fetch options</source>
        <translation>--manifest não pode ser combinado com URLs ou opções de fetch</translation>
    </message>
    <message>
        <source>fetch needs at least one URL (or --manifest FILE)</source>
        <translation>fetch precisa de pelo menos uma URL (ou --manifest ARQUIVO)</translation>
    </message>
    <message>
        <source>--dest {folder} exists and is not a folder</source>
        <translation>--dest {folder} existe e não é uma pasta</translation>
    </message>
    <message>
        <source>--integrity given {count} times for {urls} URLs; give it once per URL, in the same order</source>
        <translation>--integrity dado {count} vezes para {urls} URLs; dê um por URL, na mesma ordem</translation>
    </message>
    <message>
        <source>no alternative limit is set (alt_speed_limit is 0): no limit applies while it is on</source>
        <translation>não há limite alternativo (alt_speed_limit é 0): enquanto estiver ativo, nenhum limite se aplica</translation>
    </message>
    <message>
        <source>N: expected a file&apos;s number, from 1, not {text!r}</source>
        <translation>N: esperado o número de um arquivo, a partir de 1, não {text!r}</translation>
    </message>
    <message>
        <source>the engine refused the fetch</source>
        <translation>o motor recusou o fetch</translation>
    </message>
    <message>
        <source>the background engine did not start; see {log}</source>
        <translation>o motor em segundo plano não iniciou; veja {log}</translation>
    </message>
    <message>
        <source>wait failed</source>
        <translation>a espera falhou</translation>
    </message>
    <message>
        <source>lost the engine while waiting</source>
        <translation>o motor sumiu durante a espera</translation>
    </message>
    <message>
        <source>no fetches yet</source>
        <translation>nenhum fetch ainda</translation>
    </message>
    <message>
        <source>name: {name} (an older fetch with this id: {state})</source>
        <translation>nome: {name} (um fetch mais antigo com este id: {state})</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>ignorado</translation>
    </message>
    <message>
        <source>{id}: nothing to {command} ({state})</source>
        <translation>{id}: nada a fazer com {command} ({state})</translation>
    </message>
    <message>
        <source>User name: </source>
        <translation>Usuário: </translation>
    </message>
    <message>
        <source>login needs --username when stdin is not a terminal</source>
        <translation>login precisa de --username quando a entrada padrão não é um terminal</translation>
    </message>
    <message>
        <source>Password: </source>
        <translation>Senha: </translation>
    </message>
    <message>
        <source>saved credentials for {origin}</source>
        <translation>credenciais guardadas para {origin}</translation>
    </message>
    <message>
        <source>no credentials saved for that origin</source>
        <translation>nenhuma credencial guardada para essa origem</translation>
    </message>
    <message>
        <source>nothing was decided about {origin}</source>
        <translation>nada foi decidido sobre {origin}</translation>
    </message>
    <message>
        <source>no engine is running</source>
        <translation>nenhum motor está rodando</translation>
    </message>
    <message>
        <source>the engine did not stop in time</source>
        <translation>o motor não parou a tempo</translation>
    </message>
    <message>
        <source>ETA {duration}</source>
        <translation>faltam {duration}</translation>
    </message>
    <message>
        <source>{done}/{total} files</source>
        <translation>{done}/{total} arquivos</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>na fila</translation>
    </message>
    <message>
        <source>waiting for network</source>
        <translation>esperando a rede</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>baixando</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausado</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>tentando de novo</translation>
    </message>
    <message>
        <source>success</source>
        <translation>concluído</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>falhou</translation>
    </message>
    <message>
        <source>saved {path}</source>
        <translation>salvo em {path}</translation>
    </message>
    <message>
        <source>saved {count} files to {folder}</source>
        <translation>{count} arquivos salvos em {folder}</translation>
    </message>
    <message>
        <source>{id} is paused; waiting until it is resumed (bgfetch resume {id})</source>
        <translation>{id} está pausado; esperando que seja retomado (bgfetch resume {id})</translation>
    </message>
    <message>
        <source>an older settled fetch had the id {id}; `bgfetch show {id}~1` shows it</source>
        <translation>um fetch encerrado mais antigo tinha o id {id}; `bgfetch show {id}~1` o mostra</translation>
    </message>
    <message>
        <source>{count} older settled fetches had the id {id}; `bgfetch show {id}~1` … `{id}~{count}` show them</source>
        <translation>{count} fetches encerrados mais antigos tinham o id {id}; `bgfetch show {id}~1` … `{id}~{count}` os mostram</translation>
    </message>
    <message>
        <source>{id} paused; `bgfetch resume {id}` continues</source>
        <translation>{id} pausado; `bgfetch resume {id}` continua</translation>
    </message>
    <message>
        <source>stopped waiting; {id} goes on in the background (`bgfetch wait {id}`)</source>
        <translation>espera interrompida; {id} continua em segundo plano (`bgfetch wait {id}`)</translation>
    </message>
    <message>
        <source>stopped; {id} resumes the next time bgfetch runs (`bgfetch wait {id}`)</source>
        <translation>parado; {id} continua na próxima vez que o bgfetch rodar (`bgfetch wait {id}`)</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>ESTADO</translation>
    </message>
    <message>
        <source>DONE</source>
        <translation>FEITO</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>TAMANHO</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>CRIADO</translation>
    </message>
    <message>
        <source>TITLE</source>
        <translation>TÍTULO</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>failed: {reason}</source>
        <translation>falhou: {reason}</translation>
    </message>
    <message>
        <source>the database was unreadable and was moved to {path}; starting a new one with every fetch that could be read</source>
        <translation>o banco de dados estava ilegível e foi movido para {path}; começando um novo com todos os fetches que puderam ser lidas</translation>
    </message>
</context>
<context>
    <name>notifications</name>
    <message>
        <source>Queued</source>
        <translation>Na fila</translation>
    </message>
    <message>
        <source>Waiting for network</source>
        <translation>Aguardando a rede</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausado</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Tentando de novo</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Retomar</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>1 file, {size}</source>
        <translation>1 arquivo, {size}</translation>
    </message>
    <message>
        <source>{count} files, {size}</source>
        <translation>{count} arquivos, {size}</translation>
    </message>
    <message>
        <source>{name} downloaded</source>
        <translation>{name} baixado</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Abrir pasta</translation>
    </message>
    <message>
        <source>{name} failed</source>
        <translation>{name} falhou</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Tentar de novo</translation>
    </message>
    <message>
        <source>{names} and {count} more</source>
        <translation>{names} e mais {count}</translation>
    </message>
    <message>
        <source>{count} fetches finished</source>
        <translation>{count} downloads concluídos</translation>
    </message>
    <message>
        <source>{count} fetches failed</source>
        <translation>{count} downloads falharam</translation>
    </message>
</context>
<context>
    <name>present</name>
    <message>
        <source>Queued</source>
        <translation>Na fila</translation>
    </message>
    <message>
        <source>Waiting for network</source>
        <translation>Aguardando a rede</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Baixando</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausado</translation>
    </message>
    <message>
        <source>Retrying…</source>
        <translation>Tentando de novo…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>The server refused a file</source>
        <translation>O servidor recusou um arquivo</translation>
    </message>
    <message>
        <source>Network error</source>
        <translation>Erro de rede</translation>
    </message>
    <message>
        <source>Disk full</source>
        <translation>Disco cheio</translation>
    </message>
    <message>
        <source>Larger than announced</source>
        <translation>Maior que o anunciado</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>seg</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>ter</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>qua</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>qui</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>sex</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>sáb</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>dom</translation>
    </message>
    <message>
        <source>starts at {when}</source>
        <translation>começa às {when}</translation>
    </message>
    <message>
        <source>outside the download hours; next at {when}</source>
        <translation>fora do horário de downloads; próximo às {when}</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>conexão recusada</translation>
    </message>
    <message>
        <source>host not found</source>
        <translation>servidor não encontrado</translation>
    </message>
    <message>
        <source>the server stopped sending</source>
        <translation>o servidor parou de enviar</translation>
    </message>
    <message>
        <source>the connection dropped</source>
        <translation>a conexão caiu</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>tempo esgotado</translation>
    </message>
    <message>
        <source>secure connection failed</source>
        <translation>a conexão segura falhou</translation>
    </message>
    <message>
        <source>disk full</source>
        <translation>disco cheio</translation>
    </message>
    <message>
        <source>the server answered {status}</source>
        <translation>o servidor respondeu {status}</translation>
    </message>
    <message>
        <source>Failed: {what}</source>
        <translation>Falhou: {what}</translation>
    </message>
    <message>
        <source>{done} of {total} files; {file}: {what}</source>
        <translation>{done} de {total} arquivos; {file}: {what}</translation>
    </message>
    <message>
        <source>Retrying in {seconds} s</source>
        <translation>Nova tentativa em {seconds} s</translation>
    </message>
    <message>
        <source>Retrying now</source>
        <translation>Tentando de novo agora</translation>
    </message>
    <message>
        <source>try {attempt} of {attempts}</source>
        <translation>tentativa {attempt} de {attempts}</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Queued: {why}</source>
        <translation>Na fila: {why}</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <source>the file does not match its integrity digest</source>
        <translation>o arquivo não confere com o seu digest de integridade</translation>
    </message>
    <message>
        <source>{done} of {total} files; {skipped} skipped</source>
        <translation>{done} de {total} arquivos; {skipped} ignorado(s)</translation>
    </message>
    <message>
        <source>Done: {files}</source>
        <translation>Concluído: {files}</translation>
    </message>
    <message>
        <source> · {count} connections</source>
        <translation> · {count} conexões</translation>
    </message>
    <message>
        <source>{percent} percent</source>
        <translation>{percent} por cento</translation>
    </message>
    <message>
        <source>{size} per second</source>
        <translation>{size} por segundo</translation>
    </message>
    <message>
        <source>{count} downloading</source>
        <translation>{count} baixando</translation>
    </message>
    <message>
        <source>{count} queued</source>
        <translation>{count} na fila</translation>
    </message>
    <message>
        <source>{count} paused</source>
        <translation>{count} em pausa</translation>
    </message>
    <message>
        <source>{count} waiting for network</source>
        <translation>{count} aguardando a rede</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>tamanho desconhecido</translation>
    </message>
    <message>
        <source>{percent}% of {total}</source>
        <translation>{percent}% de {total}</translation>
    </message>
    <message>
        <source> ({count} of unknown size)</source>
        <translation> ({count} de tamanho desconhecido)</translation>
    </message>
    <message>
        <source>No active fetches</source>
        <translation>Nenhum download ativo</translation>
    </message>
    <message>
        <source>{total} in the list</source>
        <translation>{total} na lista</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>{shown} de {total} exibidos</translation>
    </message>
    <message>
        <source>The web&apos;s Background Fetch on the desktop: named bundles of downloads that survive crashes, reboots and lost networks.</source>
        <translation>O Background Fetch da web no desktop: conjuntos nomeados de downloads que sobrevivem a travamentos, reinicializações e quedas de rede.</translation>
    </message>
    <message>
        <source>MIT licence. Bundled parts and their licences:</source>
        <translation>Licença MIT. Componentes incluídos e suas licenças:</translation>
    </message>
</context>
<context>
    <name>queue_menu</name>
    <message>
        <source>Move in &amp;queue</source>
        <translation>Mover na &amp;fila</translation>
    </message>
    <message>
        <source>Move to &amp;top</source>
        <translation>Mover para o &amp;início</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Mover para &amp;cima</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>Mover para &amp;baixo</translation>
    </message>
    <message>
        <source>Move to &amp;bottom</source>
        <translation>Mover para o &amp;fim</translation>
    </message>
</context>
<context>
    <name>speed_limit_menu</name>
    <message>
        <source>Limit &amp;speed</source>
        <translation>Limitar &amp;velocidade</translation>
    </message>
    <message>
        <source>No limit of its own</source>
        <translation>Sem limite próprio</translation>
    </message>
    <message>
        <source>Other…</source>
        <translation>Outro…</translation>
    </message>
    <message>
        <source>Limit speed</source>
        <translation>Limitar velocidade</translation>
    </message>
    <message>
        <source>Speed limit per second (e.g. 750K or 3M; 0 for none):</source>
        <translation>Limite de velocidade por segundo (por ex. 750K ou 3M; 0 para nenhum):</translation>
    </message>
    <message>
        <source>{error}. Speed limit per second:</source>
        <translation>{error}. Limite de velocidade por segundo:</translation>
    </message>
</context>
<context>
    <name>start_at_menu</name>
    <message>
        <source>Wh&amp;en to start</source>
        <translation>Quando &amp;iniciar</translation>
    </message>
    <message>
        <source>&amp;Now</source>
        <translation>&amp;Agora</translation>
    </message>
    <message>
        <source>At {time}</source>
        <translation>Às {time}</translation>
    </message>
    <message>
        <source>&amp;Later…</source>
        <translation>&amp;Depois…</translation>
    </message>
    <message>
        <source>Start at</source>
        <translation>Iniciar às</translation>
    </message>
    <message>
        <source>Start at (e.g. 01:30 or 2026-12-24T01:30; empty: now):</source>
        <translation>Iniciar às (por ex., 01:30 ou 2026-12-24T01:30; vazio: agora):</translation>
    </message>
    <message>
        <source>{error}. {prompt}</source>
        <translation>{error}. {prompt}</translation>
    </message>
</context>
</TS>
