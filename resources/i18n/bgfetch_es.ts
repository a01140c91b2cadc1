<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AltSpeedSection</name>
    <message>
        <source>None (e.g. 200K per second)</source>
        <translation>Ninguno (p. ej. 200K por segundo)</translation>
    </message>
    <message>
        <source>Replaces the speed limit while it is on: by hand, from the tray, or on its schedule</source>
        <translation>Sustituye al límite de velocidad mientras está activo: a mano, desde la bandeja o según su horario</translation>
    </message>
    <message>
        <source>Only by hand (e.g. 08:00-18:00 mon-fri)</source>
        <translation>Solo a mano (p. ej. 08:00-18:00 mon-fri)</translation>
    </message>
    <message>
        <source>Turns on when this window opens and off when it closes; a change by hand holds until then</source>
        <translation>Se activa cuando empieza este horario y se desactiva cuando termina; un cambio a mano dura hasta entonces</translation>
    </message>
    <message>
        <source>Use the alternative limit no&amp;w</source>
        <translation>Usar &amp;ya el límite alternativo</translation>
    </message>
    <message>
        <source>Alternative l&amp;imit:</source>
        <translation>Límite alternati&amp;vo:</translation>
    </message>
    <message>
        <source>Alternative limit sc&amp;hedule:</source>
        <translation>&amp;Horario del límite alternativo:</translation>
    </message>
</context>
<context>
    <name>ClipboardSection</name>
    <message>
        <source>Offer to download links I &amp;copy</source>
        <translation>Ofrecer descargar los enlaces que &amp;copie</translation>
    </message>
    <message>
        <source>A notification offers each new http(s) link copied to the clipboard; nothing is downloaded without a click</source>
        <translation>Una notificación ofrece cada nuevo enlace http(s) copiado al portapapeles; no se descarga nada sin un clic</translation>
    </message>
    <message>
        <source>Links to any file (or e.g.: zip iso mp4 pdf)</source>
        <translation>Enlaces a cualquier archivo (o, p. ej.: zip iso mp4 pdf)</translation>
    </message>
    <message>
        <source>Only links to files of these types are offered</source>
        <translation>Solo se ofrecen enlaces a archivos de estos tipos</translation>
    </message>
    <message>
        <source>File types of copied links to offer</source>
        <translation>Tipos de archivo de los enlaces copiados que se ofrecen</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Allow downloads from a web site?</source>
        <translation>¿Permitir descargas de un sitio web?</translation>
    </message>
    <message>
        <source>A web page wants bgfetch to download files for it. They will go to your Downloads folder.</source>
        <translation>Una página web quiere que bgfetch descargue archivos para ella. Irán a su carpeta Descargas.</translation>
    </message>
    <message>
        <source>(no title)</source>
        <translation>(sin título)</translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation>tamaño desconocido</translation>
    </message>
    <message>
        <source>Site:</source>
        <translation>Sitio:</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Título:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Tamaño:</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>Archivos:</translation>
    </message>
    <message>
        <source>Allow &amp;once</source>
        <translation>Permitir &amp;una vez</translation>
    </message>
    <message>
        <source>&amp;Always allow</source>
        <translation>Permitir &amp;siempre</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>&amp;Denegar</translation>
    </message>
</context>
<context>
    <name>FetchFilterProxy</name>
    <message>
        <source>All</source>
        <translation>Todas</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activas</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Completadas</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Con error</translation>
    </message>
</context>
<context>
    <name>FetchListModel</name>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Restante</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Cola</translation>
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
carpeta: {folder}</translation>
    </message>
</context>
<context>
    <name>FilesDialog</name>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Completado</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Omitido</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Descargando</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sin empezar</translation>
    </message>
    <message>
        <source>Files of {title}</source>
        <translation>Archivos de {title}</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Columnas</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>sin empezar</translation>
    </message>
    <message>
        <source>{done} of {total} files complete · {state}</source>
        <translation>{done} de {total} archivos completos · {state}</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Abrir</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>Abrir &amp;carpeta</translation>
    </message>
    <message>
        <source>Copy &amp;URL</source>
        <translation>Copiar &amp;URL</translation>
    </message>
    <message>
        <source>Copy &amp;path</source>
        <translation>Copiar &amp;ruta</translation>
    </message>
    <message>
        <source>Copy SHA-&amp;256</source>
        <translation>Copiar SHA-&amp;256</translation>
    </message>
    <message>
        <source>&amp;Retry the failed files</source>
        <translation>&amp;Reintentar los archivos fallidos</translation>
    </message>
    <message>
        <source>Computing the SHA-256 of {name}…</source>
        <translation>Calculando el SHA-256 de {name}…</translation>
    </message>
    <message>
        <source>{name} is not there any more</source>
        <translation>{name} ya no está</translation>
    </message>
    <message>
        <source>SHA-256 of {name} copied: {sha256}</source>
        <translation>SHA-256 de {name} copiado: {sha256}</translation>
    </message>
    <message>
        <source>Replace &amp;URL…</source>
        <translation>Reemplazar &amp;URL…</translation>
    </message>
    <message>
        <source>Retry this &amp;file</source>
        <translation>Reintentar este &amp;archivo</translation>
    </message>
    <message>
        <source>&amp;Skip this file</source>
        <translation>&amp;Omitir este archivo</translation>
    </message>
</context>
<context>
    <name>LinkPrompt</name>
    <message>
        <source>1 file</source>
        <translation>1 archivo</translation>
    </message>
    <message>
        <source>{count} files</source>
        <translation>{count} archivos</translation>
    </message>
    <message>
        <source>{size} at most</source>
        <translation>{size} como máximo</translation>
    </message>
    <message>
        <source>size not given</source>
        <translation>tamaño no indicado</translation>
    </message>
    <message>
        <source>Files from: {hosts}</source>
        <translation>Archivos de: {hosts}</translation>
    </message>
    <message>
        <source>Manifest from: {source}</source>
        <translation>Manifiesto de: {source}</translation>
    </message>
    <message>
        <source>Download with bgfetch?</source>
        <translation>¿Descargar con bgfetch?</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Descargar</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Totals</source>
        <translation>Totales</translation>
    </message>
    <message>
        <source>Fetches</source>
        <translation>Descargas</translation>
    </message>
    <message>
        <source>Every fetch with its progress, size, speed, time left and status. Enter opens its folder; the context menu key shows what can be done with it.</source>
        <translation>Cada descarga con su progreso, tamaño, velocidad, tiempo restante y estado. Intro abre su carpeta; la tecla de menú contextual muestra qué se puede hacer con ella.</translation>
    </message>
    <message>
        <source>Columns (click to sort)</source>
        <translation>Columnas (haga clic para ordenar)</translation>
    </message>
    <message>
        <source>&amp;New fetch…</source>
        <translation>&amp;Nueva descarga…</translation>
    </message>
    <message>
        <source>Download a bundle of URLs</source>
        <translation>Descargar un conjunto de URL</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Reanudar</translation>
    </message>
    <message>
        <source>&amp;Abort…</source>
        <translation>&amp;Cancelar…</translation>
    </message>
    <message>
        <source>Stop the fetch for good; files already complete are kept</source>
        <translation>Detener la descarga definitivamente; se conservan los archivos ya completos</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>Rein&amp;tentar</translation>
    </message>
    <message>
        <source>Register a failed fetch again, keeping what was downloaded</source>
        <translation>Registrar de nuevo una descarga fallida, conservando lo ya descargado</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Abrir carpeta</translation>
    </message>
    <message>
        <source>Show &amp;files…</source>
        <translation>Mostrar arc&amp;hivos…</translation>
    </message>
    <message>
        <source>Re&amp;move from list</source>
        <translation>&amp;Quitar de la lista</translation>
    </message>
    <message>
        <source>Forget the fetch; its files stay on disk</source>
        <translation>Olvidar la descarga; sus archivos se quedan en el disco</translation>
    </message>
    <message>
        <source>Remove and &amp;delete files…</source>
        <translation>Quitar y &amp;eliminar archivos…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <source>Pause &amp;all</source>
        <translation>Pausar to&amp;das</translation>
    </message>
    <message>
        <source>Resume a&amp;ll</source>
        <translation>Reanudar t&amp;odas</translation>
    </message>
    <message>
        <source>&amp;About bgfetch</source>
        <translation>&amp;Acerca de bgfetch</translation>
    </message>
    <message>
        <source>Read the &amp;manual (README)</source>
        <translation>Leer el &amp;manual (README)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
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
        <translation>Mostrar descargas</translation>
    </message>
    <message>
        <source>All, active, done or failed fetches</source>
        <translation>Todas las descargas, activas, completadas o con error</translation>
    </message>
    <message>
        <source>Search titles</source>
        <translation>Buscar títulos</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Acciones</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Fetch</source>
        <translation>&amp;Descarga</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Abort {what}?

Files that are already complete are kept; partial files are deleted.</source>
        <translation>¿Cancelar {what}?

Se conservan los archivos ya completos; los parciales se eliminan.</translation>
    </message>
    <message>
        <source>Move files to the Trash</source>
        <translation>Mover archivos a la Papelera</translation>
    </message>
    <message>
        <source>Remove {what} from the list and move its downloaded files to the Trash?

Partial files of unfinished downloads are deleted.</source>
        <translation>¿Quitar {what} de la lista y mover sus archivos descargados a la Papelera?

Los archivos parciales de las descargas sin terminar se eliminan.</translation>
    </message>
    <message>
        <source>{count} fetches</source>
        <translation>{count} descargas</translation>
    </message>
    <message>
        <source>Could not move {count} file(s) to the Trash; they are still in {folder}</source>
        <translation>No se pudieron mover {count} archivo(s) a la Papelera; siguen en {folder}</translation>
    </message>
    <message>
        <source>1 fetch is not finished. It continues where it stopped the next time bgfetch starts.

Quit now?</source>
        <translation>1 descarga no ha terminado. Continuará donde se quedó la próxima vez que se inicie bgfetch.

¿Salir ahora?</translation>
    </message>
    <message>
        <source>{count} fetches are not finished. They continue where they stopped the next time bgfetch starts.

Quit now?</source>
        <translation>{count} descargas no han terminado. Continuarán donde se quedaron la próxima vez que se inicie bgfetch.

¿Salir ahora?</translation>
    </message>
    <message>
        <source>Moved to place {place} in the queue</source>
        <translation>Movido al puesto {place} de la cola</translation>
    </message>
    <message>
        <source>Could not add the fetch: {error}</source>
        <translation>No se pudo añadir la descarga: {error}</translation>
    </message>
    <message>
        <source>Added “{name}”</source>
        <translation>Se añadió «{name}»</translation>
    </message>
    <message>
        <source>Could not open the link: {error}</source>
        <translation>No se pudo abrir el enlace: {error}</translation>
    </message>
    <message>
        <source>Could not save the settings: {error}</source>
        <translation>No se pudieron guardar las preferencias: {error}</translation>
    </message>
    <message>
        <source>About bgfetch</source>
        <translation>Acerca de bgfetch</translation>
    </message>
    <message>
        <source>Quit bgfetch</source>
        <translation>Salir de bgfetch</translation>
    </message>
    <message>
        <source>Do not ask again</source>
        <translation>No volver a preguntar</translation>
    </message>
</context>
<context>
    <name>NewFetchDialog</name>
    <message>
        <source>New fetch</source>
        <translation>Nueva descarga</translation>
    </message>
    <message>
        <source>Optional: an image file or an http(s) URL</source>
        <translation>Opcional: un archivo de imagen o una URL http(s)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>No limit (e.g. 60M or 1.5G)</source>
        <translation>Sin límite (p. ej., 60M o 1.5G)</translation>
    </message>
    <message>
        <source>The fetch fails at once if it receives more than this, as on the web.</source>
        <translation>La descarga falla en el acto si recibe más que esto, como en la web.</translation>
    </message>
    <message>
        <source>Now (or e.g. 01:30 or 2026-12-24T01:30)</source>
        <translation>Ahora (o p. ej. 01:30 o 2026-12-24T01:30)</translation>
    </message>
    <message>
        <source>The fetch waits in the queue until then</source>
        <translation>La descarga espera en la cola hasta entonces</translation>
    </message>
    <message>
        <source>Optional: e.g. sha256-BASE64</source>
        <translation>Opcional: p. ej. sha256-BASE64</translation>
    </message>
    <message>
        <source>One URL per line; they are downloaded together as one bundle.</source>
        <translation>Una URL por línea; se descargan juntas, como un solo conjunto.</translation>
    </message>
    <message>
        <source>&amp;URLs:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Título:</translation>
    </message>
    <message>
        <source>&amp;Icon:</source>
        <translation>I&amp;cono:</translation>
    </message>
    <message>
        <source>&amp;Save to:</source>
        <translation>&amp;Guardar en:</translation>
    </message>
    <message>
        <source>Download t&amp;otal:</source>
        <translation>T&amp;otal de la descarga:</translation>
    </message>
    <message>
        <source>Start &amp;at:</source>
        <translation>&amp;Empezar a las:</translation>
    </message>
    <message>
        <source>The digest each file must match: line 1 for the first URL, line 2 for the second; an empty line for a URL without one.</source>
        <translation>El resumen que cada archivo debe cumplir: la línea 1 para la primera URL, la línea 2 para la segunda; una línea vacía para una URL sin él.</translation>
    </message>
    <message>
        <source>Inte&amp;grity:</source>
        <translation>&amp;Integridad:</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Descargar</translation>
    </message>
    <message>
        <source>Enter at least one URL.</source>
        <translation>Escriba al menos una URL.</translation>
    </message>
    <message>
        <source>download total: {problem}</source>
        <translation>total de la descarga: {problem}</translation>
    </message>
    <message>
        <source>start at: {problem}</source>
        <translation>empezar a las: {problem}</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>… y {count} más</translation>
    </message>
    <message>
        <source>https:// was added to line {line}.</source>
        <translation>Se añadió https:// a la línea {line}.</translation>
    </message>
    <message>
        <source>https:// was added to {count} lines.</source>
        <translation>Se añadió https:// a {count} líneas.</translation>
    </message>
    <message>
        <source>A name for this bundle</source>
        <translation>Un nombre para este conjunto</translation>
    </message>
    <message>
        <source>Line {line}: {reason}</source>
        <translation>Línea {line}: {reason}</translation>
    </message>
    <message>
        <source>there is no URL {number}</source>
        <translation>no hay una URL {number}</translation>
    </message>
    <message>
        <source>Integrity line {line}: {reason}</source>
        <translation>Integridad, línea {line}: {reason}</translation>
    </message>
    <message>
        <source>Choose an icon</source>
        <translation>Elija un icono</translation>
    </message>
    <message>
        <source>Images (*.png *.svg *.jpg *.jpeg *.ico *.webp)</source>
        <translation>Imágenes (*.png *.svg *.jpg *.jpeg *.ico *.webp)</translation>
    </message>
    <message>
        <source>Save the files in</source>
        <translation>Guardar los archivos en</translation>
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
        <translation>Usar la configuración de proxy del sistema</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>Sin proxy</translation>
    </message>
    <message>
        <source>Manual (HTTP, HTTPS or SOCKS5)</source>
        <translation>Manual (HTTP, HTTPS o SOCKS5)</translation>
    </message>
    <message>
        <source>Save in keyring</source>
        <translation>Guardar en el llavero</translation>
    </message>
    <message>
        <source>Only if the proxy asks for a user name and password</source>
        <translation>Solo si el proxy pide nombre de usuario y contraseña</translation>
    </message>
    <message>
        <source>&amp;Proxy:</source>
        <translation>&amp;Proxy:</translation>
    </message>
    <message>
        <source>Proxy &amp;URL:</source>
        <translation>&amp;URL del proxy:</translation>
    </message>
    <message>
        <source>User name, password:</source>
        <translation>Usuario, contraseña:</translation>
    </message>
    <message>
        <source>Enter the proxy&apos;s URL</source>
        <translation>Escriba la URL del proxy</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Saved in the keyring for {proxy}</source>
        <translation>Guardado en el llavero para {proxy}</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>No se guardó: {error}</translation>
    </message>
</context>
<context>
    <name>ReplaceUrlDialog</name>
    <message>
        <source>Replace URL</source>
        <translation>Reemplazar URL</translation>
    </message>
    <message>
        <source>New URL</source>
        <translation>Nueva URL</translation>
    </message>
    <message>
        <source>The file continues where it stopped if the new URL serves the same version of it; otherwise it starts again.</source>
        <translation>El archivo continúa donde se detuvo si la nueva URL sirve la misma versión; si no, empieza de nuevo.</translation>
    </message>
    <message>
        <source>New URL:</source>
        <translation>Nueva URL:</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>bgfetch settings</source>
        <translation>Preferencias de bgfetch</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>A big file from a server that answers ranges comes over this many connections</source>
        <translation>Un archivo grande de un servidor que admite rangos llega por este número de conexiones</translation>
    </message>
    <message>
        <source>No file is cut into pieces smaller than this</source>
        <translation>Ningún archivo se divide en partes más pequeñas que esto</translation>
    </message>
    <message>
        <source>Unlimited (e.g. 500K or 2M per second)</source>
        <translation>Ilimitada (p. ej., 500K o 2M por segundo)</translation>
    </message>
    <message>
        <source>Any time (e.g. 01:00-07:00 or 01:00-07:00 mon-fri)</source>
        <translation>A cualquier hora (p. ej., 01:00-07:00 o 01:00-07:00 mon-fri)</translation>
    </message>
    <message>
        <source>Downloads run only then, and wait in the queue otherwise</source>
        <translation>Las descargas solo se ejecutan en ese horario; fuera de él, esperan en la cola</translation>
    </message>
    <message>
        <source>How long to wait for a server to answer a connection</source>
        <translation>Cuánto esperar a que un servidor responda a una conexión</translation>
    </message>
    <message>
        <source>A download that receives nothing this long is tried again</source>
        <translation>Una descarga que no recibe nada durante este tiempo se reintenta</translation>
    </message>
    <message>
        <source>Tries again after a network error or a busy server, waiting longer each time, before the fetch fails</source>
        <translation>Reintenta tras un error de red o un servidor ocupado, esperando más cada vez, antes de que la descarga falle</translation>
    </message>
    <message>
        <source>Hold downloads while on a &amp;metered network</source>
        <translation>Retener las descargas en una red de uso &amp;medido</translation>
    </message>
    <message>
        <source>A phone&apos;s hotspot, say: downloads wait for another network</source>
        <translation>El punto de acceso de un móvil, por ejemplo: las descargas esperan a otra red</translation>
    </message>
    <message>
        <source>Show &amp;notifications</source>
        <translation>Mostrar &amp;notificaciones</translation>
    </message>
    <message>
        <source>Progress of a download that takes a while</source>
        <translation>Progreso de una descarga que tarda</translation>
    </message>
    <message>
        <source>Downloads that finish</source>
        <translation>Descargas que terminan</translation>
    </message>
    <message>
        <source>Downloads that fail</source>
        <translation>Descargas que fallan</translation>
    </message>
    <message>
        <source>Start bgfetch when I log in</source>
        <translation>Iniciar bgfetch al iniciar sesión</translation>
    </message>
    <message>
        <source>Not available on this system yet</source>
        <translation>Aún no disponible en este sistema</translation>
    </message>
    <message>
        <source>Download &amp;folder:</source>
        <translation>&amp;Carpeta de descargas:</translation>
    </message>
    <message>
        <source>&amp;Parallel fetches:</source>
        <translation>Descargas &amp;simultáneas:</translation>
    </message>
    <message>
        <source>&amp;Transfers per fetch:</source>
        <translation>&amp;Transferencias por descarga:</translation>
    </message>
    <message>
        <source>&amp;Connections per file:</source>
        <translation>C&amp;onexiones por archivo:</translation>
    </message>
    <message>
        <source>&amp;Minimum split size:</source>
        <translation>Tamaño &amp;mínimo de división:</translation>
    </message>
    <message>
        <source>Speed &amp;limit:</source>
        <translation>&amp;Límite de velocidad:</translation>
    </message>
    <message>
        <source>Download &amp;only:</source>
        <translation>Descargar s&amp;olo:</translation>
    </message>
    <message>
        <source>Connection &amp;timeout:</source>
        <translation>&amp;Tiempo de espera de conexión:</translation>
    </message>
    <message>
        <source>Sta&amp;ll timeout:</source>
        <translation>Tiempo de espera sin &amp;datos:</translation>
    </message>
    <message>
        <source>&amp;Retries:</source>
        <translation>&amp;Reintentos:</translation>
    </message>
    <message>
        <source>Quit bgfetch when all downloads are done</source>
        <translation>Salir de bgfetch cuando terminen todas las descargas</translation>
    </message>
    <message>
        <source>Once nothing is queued, downloading or waiting, bgfetch quits a few seconds later; paused downloads wait for the next start</source>
        <translation>Cuando no quede nada en la cola, descargando ni esperando, bgfetch sale unos segundos después; las descargas en pausa esperan al próximo inicio</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Web sites</source>
        <translation>Sitios web</translation>
    </message>
    <message>
        <source>Speed and schedule</source>
        <translation>Velocidad y horario</translation>
    </message>
    <message>
        <source>Folders by type</source>
        <translation>Carpetas por tipo</translation>
    </message>
    <message>
        <source>Download folder</source>
        <translation>Carpeta de descargas</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>&amp;Show bgfetch</source>
        <translation>&amp;Mostrar bgfetch</translation>
    </message>
    <message>
        <source>&amp;New fetch…</source>
        <translation>&amp;Nueva descarga…</translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation>&amp;Pausar todas</translation>
    </message>
    <message>
        <source>&amp;Resume all</source>
        <translation>&amp;Reanudar todas</translation>
    </message>
    <message>
        <source>&amp;Limit speed</source>
        <translation>&amp;Limitar velocidad</translation>
    </message>
    <message>
        <source>&amp;Alternative limit</source>
        <translation>Límite &amp;alternativo</translation>
    </message>
    <message>
        <source>Open &amp;Downloads folder</source>
        <translation>Abrir la carpeta &amp;Descargas</translation>
    </message>
    <message>
        <source>S&amp;ettings…</source>
        <translation>Pr&amp;eferencias…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Limit speed to {rate}/s</source>
        <translation>&amp;Limitar velocidad a {rate}/s</translation>
    </message>
    <message>
        <source>&amp;Limit speed…</source>
        <translation>&amp;Limitar velocidad…</translation>
    </message>
    <message>
        <source>&amp;Alternative limit: {rate}/s</source>
        <translation>Límite &amp;alternativo: {rate}/s</translation>
    </message>
    <message>
        <source>&amp;Hide bgfetch</source>
        <translation>&amp;Ocultar bgfetch</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Reanudar</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <source>&amp;Show in window</source>
        <translation>&amp;Mostrar en la ventana</translation>
    </message>
    <message>
        <source>{count} more in the window…</source>
        <translation>{count} más en la ventana…</translation>
    </message>
</context>
<context>
    <name>TypeFoldersSection</name>
    <message>
        <source>Put files in folders by t&amp;ype</source>
        <translation>Poner los archivos en carpetas por t&amp;ipo</translation>
    </message>
    <message>
        <source>A file goes to a folder such as Music or Video in the download folder; a bundle of one type goes there whole, a mixed one stays in its own folder</source>
        <translation>Un archivo va a una carpeta como Música o Vídeo dentro de la carpeta de descargas; un paquete de un solo tipo va allí entero, uno mixto se queda en su propia carpeta</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Carpeta</translation>
    </message>
    <message>
        <source>Types</source>
        <translation>Tipos</translation>
    </message>
    <message>
        <source>Folders by type</source>
        <translation>Carpetas por tipo</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Columnas</translation>
    </message>
    <message>
        <source>Extensions (mp3 flac) and MIME types (audio/*), separated by spaces</source>
        <translation>Extensiones (mp3 flac) y tipos MIME (audio/*), separados por espacios</translation>
    </message>
    <message>
        <source>&amp;Add folder</source>
        <translation>&amp;Añadir carpeta</translation>
    </message>
    <message>
        <source>Remo&amp;ve folder</source>
        <translation>&amp;Quitar carpeta</translation>
    </message>
    <message>
        <source>D&amp;efaults</source>
        <translation>Valor&amp;es predeterminados</translation>
    </message>
    <message>
        <source>New folder</source>
        <translation>Nueva carpeta</translation>
    </message>
</context>
<context>
    <name>WebSitesPage</name>
    <message>
        <source>Web pages use bgfetch through the browser extension. A site you have not decided about is asked for the first time it downloads.</source>
        <translation>Las páginas web usan bgfetch mediante la extensión del navegador. Sobre un sitio que aún no ha decidido se le pregunta la primera vez que descarga algo.</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Sitio</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Decisión</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>Cuota</translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation>&amp;Permitir</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>&amp;Denegar</translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Olvidar</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>Permitido</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Denegado</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>bgfetch keeps running</source>
        <translation>bgfetch sigue en marcha</translation>
    </message>
    <message>
        <source>Downloads go on in the tray. Use Quit in its menu to leave.</source>
        <translation>Las descargas continúan en la bandeja del sistema. Use Salir en su menú para cerrar.</translation>
    </message>
    <message>
        <source>Download with bgfetch?</source>
        <translation>¿Descargar con bgfetch?</translation>
    </message>
    <message>
        <source>{url}
Click here to download it.</source>
        <translation>{url}
Haga clic aquí para descargarlo.</translation>
    </message>
    <message>
        <source>No system tray here: closing this window quits bgfetch.</source>
        <translation>No hay bandeja del sistema: cerrar esta ventana cierra bgfetch.</translation>
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
        <translation>ID es el id de un fetch o un comienzo único de él; ID~1 es el fetch que tenía el id
antes del más nuevo, ID~2 el anterior a ese.

códigos de salida: 0 éxito, 1 el fetch falló, 2 entrada o uso no válido,
3 bgfetch no pudo hacerlo (sin motor, carpeta de datos ocupada, error interno),
130 interrumpido (Ctrl+C pausa el fetch).</translation>
    </message>
    <message>
        <source>the fetch: its id, a unique start of it, or ID~N for an older one</source>
        <translation>el fetch: su id, un comienzo único de él o ID~N para uno más antiguo</translation>
    </message>
    <message>
        <source>print JSON for scripts (docs/contracts.md §4) instead of text</source>
        <translation>imprime JSON para scripts (docs/contracts.md §4) en lugar de texto</translation>
    </message>
    <message>
        <source>Background Fetch for the desktop.</source>
        <translation>Background Fetch para el escritorio.</translation>
    </message>
    <message>
        <source>print the version and exit</source>
        <translation>muestra la versión y sale</translation>
    </message>
    <message>
        <source>register a bundle of downloads</source>
        <translation>registra un paquete de descargas</translation>
    </message>
    <message>
        <source>an http(s) URL to download</source>
        <translation>una URL http(s) que descargar</translation>
    </message>
    <message>
        <source>the fetch&apos;s id (default: a new one, printed first)</source>
        <translation>el id del fetch (por defecto: uno nuevo, impreso primero)</translation>
    </message>
    <message>
        <source>a title for people (the bundle folder&apos;s name)</source>
        <translation>un título para personas (el nombre de la carpeta del paquete)</translation>
    </message>
    <message>
        <source>an icon for the window and notifications (repeatable)</source>
        <translation>un icono para la ventana y las notificaciones (repetible)</translation>
    </message>
    <message>
        <source>the most bytes the fetch may download, e.g. 60M (0: no limit)</source>
        <translation>el máximo de bytes que puede descargar el fetch, p. ej. 60M (0: sin límite)</translation>
    </message>
    <message>
        <source>the folder for the files (default: Downloads/TITLE)</source>
        <translation>la carpeta de los archivos (por defecto: Downloads/TÍTULO)</translation>
    </message>
    <message>
        <source>register the fetch a .bgfetch file describes</source>
        <translation>registra el fetch que describe un archivo .bgfetch</translation>
    </message>
    <message>
        <source>this fetch&apos;s speed limit per second, e.g. 500K or 2M</source>
        <translation>el límite de velocidad de este fetch por segundo, p. ej. 500K o 2M</translation>
    </message>
    <message>
        <source>wait until TIME to start: HH:MM (the next one) or a date and time such as 2026-12-24T01:30</source>
        <translation>espera hasta TIME para empezar: HH:MM (la próxima) o una fecha y hora como 2026-12-24T01:30</translation>
    </message>
    <message>
        <source>this fetch&apos;s proxy: http://, https:// or socks5://host:port, or none (credentials: bgfetch login --proxy URL)</source>
        <translation>el proxy de este fetch: http://, https:// o socks5://host:puerto, o none (credenciales: bgfetch login --proxy URL)</translation>
    </message>
    <message>
        <source>the digest a URL&apos;s file must match, e.g. sha256-BASE64 (repeatable: the first for the first URL, and so on; &quot;&quot; for none)</source>
        <translation>el digest que debe tener el archivo de una URL, p. ej. sha256-BASE64 (repetible: el primero para la primera URL, y así sucesivamente; &quot;&quot; para ninguno)</translation>
    </message>
    <message>
        <source>block until the fetch settles, with a progress bar on a terminal</source>
        <translation>espera a que el fetch termine, con una barra de progreso en un terminal</translation>
    </message>
    <message>
        <source>every fetch, active and settled, as a table</source>
        <translation>todos los fetches, activos y terminados, en una tabla</translation>
    </message>
    <message>
        <source>one fetch with its files</source>
        <translation>un fetch con sus archivos</translation>
    </message>
    <message>
        <source>block until ID settles, with a progress bar on a terminal</source>
        <translation>espera a que ID termine, con una barra de progreso en un terminal</translation>
    </message>
    <message>
        <source>pause ID</source>
        <translation>pausa ID</translation>
    </message>
    <message>
        <source>resume ID</source>
        <translation>reanuda ID</translation>
    </message>
    <message>
        <source>cancel ID and delete its unfinished files</source>
        <translation>cancela ID y borra sus archivos incompletos</translation>
    </message>
    <message>
        <source>set ID&apos;s own speed limit, also while it runs</source>
        <translation>fija el límite de velocidad propio de ID, también mientras se ejecuta</translation>
    </message>
    <message>
        <source>per second, e.g. 500K or 2M; 0: none</source>
        <translation>por segundo, p. ej. 500K o 2M; 0: ninguno</translation>
    </message>
    <message>
        <source>move ID in the queue of fetches waiting to start</source>
        <translation>mueve ID en la cola de fetches que esperan para empezar</translation>
    </message>
    <message>
        <source>first to start</source>
        <translation>el primero en empezar</translation>
    </message>
    <message>
        <source>one place earlier</source>
        <translation>un puesto antes</translation>
    </message>
    <message>
        <source>one place later</source>
        <translation>un puesto después</translation>
    </message>
    <message>
        <source>last to start</source>
        <translation>el último en empezar</translation>
    </message>
    <message>
        <source>change when ID may start</source>
        <translation>cambiar cuándo puede empezar ID</translation>
    </message>
    <message>
        <source>HH:MM (the next one), a date and time such as 2026-12-24T01:30, or now</source>
        <translation>HH:MM (la próxima), una fecha y hora como 2026-12-24T01:30, o now</translation>
    </message>
    <message>
        <source>use the alternative speed limit (on) or the usual one (off)</source>
        <translation>usar el límite de velocidad alternativo (on) o el habitual (off)</translation>
    </message>
    <message>
        <source>on or off</source>
        <translation>on u off</translation>
    </message>
    <message>
        <source>the file&apos;s number, from 1, as `bgfetch show ID` lists them</source>
        <translation>el número del archivo, desde 1, como los lista `bgfetch show ID`</translation>
    </message>
    <message>
        <source>download file N of ID from URL from now on (an expired link); it continues where it stopped if URL serves the same version of the file</source>
        <translation>descargar el archivo N de ID desde URL a partir de ahora (un enlace caducado); continúa donde se detuvo si URL sirve la misma versión del archivo</translation>
    </message>
    <message>
        <source>the new http(s) URL</source>
        <translation>la nueva URL http(s)</translation>
    </message>
    <message>
        <source>download the failed files of ID again, or only file N with --file</source>
        <translation>descargar de nuevo los archivos de ID que fallaron, o solo el archivo N con --file</translation>
    </message>
    <message>
        <source>leave file N of ID out and keep the others; its partial file is deleted</source>
        <translation>dejar fuera el archivo N de ID y conservar los demás; su archivo parcial se borra</translation>
    </message>
    <message>
        <source>save a user name and password for URL&apos;s origin in the OS keyring</source>
        <translation>guarda un usuario y una contraseña para el origen de la URL en el llavero del sistema</translation>
    </message>
    <message>
        <source>any URL of the origin</source>
        <translation>cualquier URL del origen</translation>
    </message>
    <message>
        <source>the user name (asked for when missing)</source>
        <translation>el nombre de usuario (se pregunta si falta)</translation>
    </message>
    <message>
        <source>forget the credentials of URL&apos;s origin</source>
        <translation>olvida las credenciales del origen de la URL</translation>
    </message>
    <message>
        <source>URL is a proxy&apos;s</source>
        <translation>URL es de un proxy</translation>
    </message>
    <message>
        <source>web origins that may use bgfetch through the browser extension</source>
        <translation>orígenes web que pueden usar bgfetch mediante la extensión del navegador</translation>
    </message>
    <message>
        <source>every origin&apos;s decision and quota</source>
        <translation>la decisión y la cuota de cada origen</translation>
    </message>
    <message>
        <source>let ORIGIN&apos;s pages use bgfetch without asking</source>
        <translation>deja que las páginas de ORIGIN usen bgfetch sin preguntar</translation>
    </message>
    <message>
        <source>refuse ORIGIN&apos;s pages without asking</source>
        <translation>rechaza las páginas de ORIGIN sin preguntar</translation>
    </message>
    <message>
        <source>ask again the next time ORIGIN wants to fetch</source>
        <translation>vuelve a preguntar la próxima vez que ORIGIN quiera descargar</translation>
    </message>
    <message>
        <source>e.g. https://example.org</source>
        <translation>p. ej. https://example.org</translation>
    </message>
    <message>
        <source>what ORIGIN&apos;s fetches may hold (default 10G)</source>
        <translation>cuánto pueden ocupar los fetches de ORIGIN (por defecto 10G)</translation>
    </message>
    <message>
        <source>run the headless engine</source>
        <translation>ejecuta el motor sin ventana</translation>
    </message>
    <message>
        <source>ask the running engine to checkpoint and exit</source>
        <translation>pide al motor en marcha que guarde su estado y salga</translation>
    </message>
    <message>
        <source>cannot use the data folder {folder}: {error}</source>
        <translation>no se puede usar la carpeta de datos {folder}: {error}</translation>
    </message>
    <message>
        <source>internal error: {error}; please report it with {report}</source>
        <translation>error interno: {error}; por favor, infórmelo con {report}</translation>
    </message>
    <message>
        <source>bgfetch {version} and the command you ran</source>
        <translation>bgfetch {version} y la orden que ejecutó</translation>
    </message>
    <message>
        <source>--manifest cannot be combined with URLs or fetch options</source>
        <translation>--manifest no se puede combinar con URL ni con opciones de fetch</translation>
    </message>
    <message>
        <source>fetch needs at least one URL (or --manifest FILE)</source>
        <translation>fetch necesita al menos una URL (o --manifest ARCHIVO)</translation>
    </message>
    <message>
        <source>--dest {folder} exists and is not a folder</source>
        <translation>--dest {folder} existe y no es una carpeta</translation>
    </message>
    <message>
        <source>--integrity given {count} times for {urls} URLs; give it once per URL, in the same order</source>
        <translation>--integrity dado {count} veces para {urls} URLs; dé uno por URL, en el mismo orden</translation>
    </message>
    <message>
        <source>no alternative limit is set (alt_speed_limit is 0): no limit applies while it is on</source>
        <translation>no hay un límite alternativo (alt_speed_limit es 0): mientras esté activo no se aplica ningún límite</translation>
    </message>
    <message>
        <source>N: expected a file&apos;s number, from 1, not {text!r}</source>
        <translation>N: se esperaba el número de un archivo, desde 1, no {text!r}</translation>
    </message>
    <message>
        <source>the engine refused the fetch</source>
        <translation>el motor rechazó el fetch</translation>
    </message>
    <message>
        <source>the background engine did not start; see {log}</source>
        <translation>el motor en segundo plano no arrancó; vea {log}</translation>
    </message>
    <message>
        <source>wait failed</source>
        <translation>la espera falló</translation>
    </message>
    <message>
        <source>lost the engine while waiting</source>
        <translation>se perdió el motor durante la espera</translation>
    </message>
    <message>
        <source>no fetches yet</source>
        <translation>todavía no hay fetches</translation>
    </message>
    <message>
        <source>name: {name} (an older fetch with this id: {state})</source>
        <translation>nombre: {name} (un fetch más antiguo con este id: {state})</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>omitido</translation>
    </message>
    <message>
        <source>{id}: nothing to {command} ({state})</source>
        <translation>{id}: nada que hacer con {command} ({state})</translation>
    </message>
    <message>
        <source>User name: </source>
        <translation>Usuario: </translation>
    </message>
    <message>
        <source>login needs --username when stdin is not a terminal</source>
        <translation>login necesita --username cuando la entrada estándar no es un terminal</translation>
    </message>
    <message>
        <source>Password: </source>
        <translation>Contraseña: </translation>
    </message>
    <message>
        <source>saved credentials for {origin}</source>
        <translation>credenciales guardadas para {origin}</translation>
    </message>
    <message>
        <source>no credentials saved for that origin</source>
        <translation>no hay credenciales guardadas para ese origen</translation>
    </message>
    <message>
        <source>nothing was decided about {origin}</source>
        <translation>no se decidió nada sobre {origin}</translation>
    </message>
    <message>
        <source>no engine is running</source>
        <translation>no hay ningún motor en marcha</translation>
    </message>
    <message>
        <source>the engine did not stop in time</source>
        <translation>el motor no se detuvo a tiempo</translation>
    </message>
    <message>
        <source>ETA {duration}</source>
        <translation>quedan {duration}</translation>
    </message>
    <message>
        <source>{done}/{total} files</source>
        <translation>{done}/{total} archivos</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
    <message>
        <source>waiting for network</source>
        <translation>esperando la red</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>descargando</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pausa</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>reintentando</translation>
    </message>
    <message>
        <source>success</source>
        <translation>completado</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>fallido</translation>
    </message>
    <message>
        <source>saved {path}</source>
        <translation>guardado en {path}</translation>
    </message>
    <message>
        <source>saved {count} files to {folder}</source>
        <translation>{count} archivos guardados en {folder}</translation>
    </message>
    <message>
        <source>{id} is paused; waiting until it is resumed (bgfetch resume {id})</source>
        <translation>{id} está en pausa; se espera a que se reanude (bgfetch resume {id})</translation>
    </message>
    <message>
        <source>an older settled fetch had the id {id}; `bgfetch show {id}~1` shows it</source>
        <translation>un fetch terminado más antiguo tenía el id {id}; `bgfetch show {id}~1` lo muestra</translation>
    </message>
    <message>
        <source>{count} older settled fetches had the id {id}; `bgfetch show {id}~1` … `{id}~{count}` show them</source>
        <translation>{count} fetches terminados más antiguos tenían el id {id}; `bgfetch show {id}~1` … `{id}~{count}` los muestran</translation>
    </message>
    <message>
        <source>{id} paused; `bgfetch resume {id}` continues</source>
        <translation>{id} en pausa; `bgfetch resume {id}` lo continúa</translation>
    </message>
    <message>
        <source>stopped waiting; {id} goes on in the background (`bgfetch wait {id}`)</source>
        <translation>espera interrumpida; {id} sigue en segundo plano (`bgfetch wait {id}`)</translation>
    </message>
    <message>
        <source>stopped; {id} resumes the next time bgfetch runs (`bgfetch wait {id}`)</source>
        <translation>detenido; {id} seguirá la próxima vez que se ejecute bgfetch (`bgfetch wait {id}`)</translation>
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
        <translation>HECHO</translation>
    </message>
    <message>
        <source>SIZE</source>
        <translation>TAMAÑO</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>CREADO</translation>
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
        <translation>falló: {reason}</translation>
    </message>
    <message>
        <source>the database was unreadable and was moved to {path}; starting a new one with every fetch that could be read</source>
        <translation>la base de datos era ilegible y se movió a {path}; se empieza una nueva con todos los fetches que se pudieron leer</translation>
    </message>
</context>
<context>
    <name>notifications</name>
    <message>
        <source>Queued</source>
        <translation>En cola</translation>
    </message>
    <message>
        <source>Waiting for network</source>
        <translation>Esperando la red</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Reintentando</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
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
        <translation>1 archivo, {size}</translation>
    </message>
    <message>
        <source>{count} files, {size}</source>
        <translation>{count} archivos, {size}</translation>
    </message>
    <message>
        <source>{name} downloaded</source>
        <translation>{name} descargado</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Abrir carpeta</translation>
    </message>
    <message>
        <source>{name} failed</source>
        <translation>{name} falló</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>{names} and {count} more</source>
        <translation>{names} y {count} más</translation>
    </message>
    <message>
        <source>{count} fetches finished</source>
        <translation>{count} descargas completadas</translation>
    </message>
    <message>
        <source>{count} fetches failed</source>
        <translation>{count} descargas fallaron</translation>
    </message>
</context>
<context>
    <name>present</name>
    <message>
        <source>Queued</source>
        <translation>En cola</translation>
    </message>
    <message>
        <source>Waiting for network</source>
        <translation>Esperando la red</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Descargando</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <source>Retrying…</source>
        <translation>Reintentando…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Completada</translation>
    </message>
    <message>
        <source>The server refused a file</source>
        <translation>El servidor rechazó un archivo</translation>
    </message>
    <message>
        <source>Network error</source>
        <translation>Error de red</translation>
    </message>
    <message>
        <source>Disk full</source>
        <translation>Disco lleno</translation>
    </message>
    <message>
        <source>Larger than announced</source>
        <translation>Más grande de lo anunciado</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>lun</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>mar</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>mié</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>jue</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>vie</translation>
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
        <translation>empieza a las {when}</translation>
    </message>
    <message>
        <source>outside the download hours; next at {when}</source>
        <translation>fuera del horario de descargas; próximo a las {when}</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>conexión rechazada</translation>
    </message>
    <message>
        <source>host not found</source>
        <translation>servidor no encontrado</translation>
    </message>
    <message>
        <source>the server stopped sending</source>
        <translation>el servidor dejó de enviar</translation>
    </message>
    <message>
        <source>the connection dropped</source>
        <translation>se cortó la conexión</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>tiempo de espera agotado</translation>
    </message>
    <message>
        <source>secure connection failed</source>
        <translation>falló la conexión segura</translation>
    </message>
    <message>
        <source>disk full</source>
        <translation>disco lleno</translation>
    </message>
    <message>
        <source>the server answered {status}</source>
        <translation>el servidor respondió {status}</translation>
    </message>
    <message>
        <source>Failed: {what}</source>
        <translation>Falló: {what}</translation>
    </message>
    <message>
        <source>{done} of {total} files; {file}: {what}</source>
        <translation>{done} de {total} archivos; {file}: {what}</translation>
    </message>
    <message>
        <source>Retrying in {seconds} s</source>
        <translation>Reintento en {seconds} s</translation>
    </message>
    <message>
        <source>Retrying now</source>
        <translation>Reintentando ahora</translation>
    </message>
    <message>
        <source>try {attempt} of {attempts}</source>
        <translation>intento {attempt} de {attempts}</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelada</translation>
    </message>
    <message>
        <source>Queued: {why}</source>
        <translation>En cola: {why}</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
    <message>
        <source>the file does not match its integrity digest</source>
        <translation>el archivo no coincide con su digest de integridad</translation>
    </message>
    <message>
        <source>{done} of {total} files; {skipped} skipped</source>
        <translation>{done} de {total} archivos; {skipped} omitido(s)</translation>
    </message>
    <message>
        <source>Done: {files}</source>
        <translation>Hecho: {files}</translation>
    </message>
    <message>
        <source> · {count} connections</source>
        <translation> · {count} conexiones</translation>
    </message>
    <message>
        <source>{percent} percent</source>
        <translation>{percent} por ciento</translation>
    </message>
    <message>
        <source>{size} per second</source>
        <translation>{size} por segundo</translation>
    </message>
    <message>
        <source>{count} downloading</source>
        <translation>{count} descargando</translation>
    </message>
    <message>
        <source>{count} queued</source>
        <translation>{count} en cola</translation>
    </message>
    <message>
        <source>{count} paused</source>
        <translation>{count} en pausa</translation>
    </message>
    <message>
        <source>{count} waiting for network</source>
        <translation>{count} esperando la red</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>tamaño desconocido</translation>
    </message>
    <message>
        <source>{percent}% of {total}</source>
        <translation>{percent}% de {total}</translation>
    </message>
    <message>
        <source> ({count} of unknown size)</source>
        <translation> ({count} de tamaño desconocido)</translation>
    </message>
    <message>
        <source>No active fetches</source>
        <translation>No hay descargas activas</translation>
    </message>
    <message>
        <source>{total} in the list</source>
        <translation>{total} en la lista</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>{shown} de {total} mostradas</translation>
    </message>
    <message>
        <source>The web&apos;s Background Fetch on the desktop: named bundles of downloads that survive crashes, reboots and lost networks.</source>
        <translation>El Background Fetch de la web en el escritorio: conjuntos de descargas con nombre que sobreviven a cierres inesperados, reinicios y caídas de la red.</translation>
    </message>
    <message>
        <source>MIT licence. Bundled parts and their licences:</source>
        <translation>Licencia MIT. Componentes incluidos y sus licencias:</translation>
    </message>
</context>
<context>
    <name>queue_menu</name>
    <message>
        <source>Move in &amp;queue</source>
        <translation>Mover en la &amp;cola</translation>
    </message>
    <message>
        <source>Move to &amp;top</source>
        <translation>Mover al &amp;principio</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Mover a&amp;rriba</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>Mover a&amp;bajo</translation>
    </message>
    <message>
        <source>Move to &amp;bottom</source>
        <translation>Mover al &amp;final</translation>
    </message>
</context>
<context>
    <name>speed_limit_menu</name>
    <message>
        <source>Limit &amp;speed</source>
        <translation>Limitar &amp;velocidad</translation>
    </message>
    <message>
        <source>No limit of its own</source>
        <translation>Sin límite propio</translation>
    </message>
    <message>
        <source>Other…</source>
        <translation>Otro…</translation>
    </message>
    <message>
        <source>Limit speed</source>
        <translation>Limitar velocidad</translation>
    </message>
    <message>
        <source>Speed limit per second (e.g. 750K or 3M; 0 for none):</source>
        <translation>Límite de velocidad por segundo (p. ej., 750K o 3M; 0 para ninguno):</translation>
    </message>
    <message>
        <source>{error}. Speed limit per second:</source>
        <translation>{error}. Límite de velocidad por segundo:</translation>
    </message>
</context>
<context>
    <name>start_at_menu</name>
    <message>
        <source>Wh&amp;en to start</source>
        <translation>Cuándo empe&amp;zar</translation>
    </message>
    <message>
        <source>&amp;Now</source>
        <translation>&amp;Ahora</translation>
    </message>
    <message>
        <source>At {time}</source>
        <translation>A las {time}</translation>
    </message>
    <message>
        <source>&amp;Later…</source>
        <translation>&amp;Después…</translation>
    </message>
    <message>
        <source>Start at</source>
        <translation>Empezar a las</translation>
    </message>
    <message>
        <source>Start at (e.g. 01:30 or 2026-12-24T01:30; empty: now):</source>
        <translation>Empezar a las (p. ej. 01:30 o 2026-12-24T01:30; vacío: ahora):</translation>
    </message>
    <message>
        <source>{error}. {prompt}</source>
        <translation>{error}. {prompt}</translation>
    </message>
</context>
</TS>
