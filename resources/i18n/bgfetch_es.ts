<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
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
</TS>
