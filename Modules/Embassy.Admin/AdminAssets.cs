namespace Embassy.Admin;

/// <summary>The CMI's one script (no JavaScript build): uploads with a progress bar per file.</summary>
internal static class AdminAssets
{
    /// <summary>The vendored hls.js (Vendor/hls.js/README.md); its URL names the version, so browsers keep it for a year.</summary>
    public const string HlsVersion = "1.7.4";

    public const string HlsUrl = $"/admin/assets/hls-{HlsVersion}/hls.light.min.js";

    private static readonly Lazy<byte[]> Hls = new(() => Embedded("hls.light.min.js"));

    public static byte[] HlsScript => Hls.Value;

    /// <summary>The other vendored files (Vendor/*/README.md), by the name they are served under at /admin/assets/vendor/:
    /// the versions are in the names, so browsers keep them for a year.</summary>
    public static readonly IReadOnlyDictionary<string, (string Resource, string ContentType)> Vendor = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["jquery-3.7.1.min.js"] = ("jquery.min.js", "text/javascript; charset=utf-8"),
        ["trumbowyg-2.31.0.min.js"] = ("trumbowyg.min.js", "text/javascript; charset=utf-8"),
        ["trumbowyg-2.31.0.cleanpaste.min.js"] = ("trumbowyg.cleanpaste.min.js", "text/javascript; charset=utf-8"),
        ["trumbowyg-2.31.0.pl.min.js"] = ("pl.min.js", "text/javascript; charset=utf-8"),
        ["trumbowyg-2.31.0.min.css"] = ("trumbowyg.min.css", "text/css; charset=utf-8"),
        ["trumbowyg-2.31.0.icons.svg"] = ("icons.svg", "image/svg+xml"),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> VendorBytes = new(StringComparer.Ordinal);

    /// <summary>A vendored file's bytes; null for a name that is not one.</summary>
    public static byte[]? VendorFile(string name) => Vendor.TryGetValue(name, out var file)
        ? VendorBytes.GetOrAdd(name, _ => Embedded(file.Resource))
        : null;

    /// <summary>A vendored file embedded in this module (Embassy.Admin.Vendor.{name}).</summary>
    private static byte[] Embedded(string resource)
    {
        using var stream = typeof(AdminAssets).Assembly.GetManifestResourceStream("Embassy.Admin.Vendor." + resource)
            ?? throw new InvalidOperationException($"Vendor file {resource} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// HTML fields are edited in Trumbowyg (Orchard Core's HTML editor): headings, lists, links, bold and italic,
    /// pictures with their alt text, and what is pasted from Word or web pages cleaned. The textarea stays the field
    /// (it is what the form posts); the server sanitizes what comes, as from anywhere.
    /// </summary>
    public const string WysiwygScript = """
        (function () {
          if (!window.jQuery || !window.jQuery.fn.trumbowyg) return;
          const $ = window.jQuery;
          $.trumbowyg.svgPath = '/admin/assets/vendor/trumbowyg-2.31.0.icons.svg';
          // A picture from the media library, with its alternative text (required): the page's <dialog>.
          const dialog = document.getElementById('library-picture');
          $.extend(true, $.trumbowyg, { plugins: { libraryPicture: { init: function (tbw) {
            tbw.addBtnDef('libraryPicture', {
              ico: 'insertImage',
              title: dialog ? dialog.querySelector('h2').textContent : 'Picture from the library',
              fn: function () {
                if (!dialog) return;
                tbw.saveRange();
                const alt = dialog.querySelector('#library-picture-alt');
                const error = dialog.querySelector('.library-picture-error');
                alt.value = ''; error.hidden = true;
                dialog.querySelectorAll('input[name="library-picture"]').forEach(function (r) { r.checked = false; });
                dialog.onclose = function () {
                  if (dialog.returnValue !== 'insert') return;
                  const chosen = dialog.querySelector('input[name="library-picture"]:checked');
                  if (!chosen || alt.value.trim().length === 0) { error.hidden = false; dialog.showModal(); return; }
                  const img = document.createElement('img');
                  img.src = chosen.value; img.alt = alt.value.trim();
                  tbw.restoreRange();
                  tbw.execCmd('insertHTML', img.outerHTML);
                  tbw.$c.trigger('tbwchange');
                };
                dialog.showModal();
              }
            });
          } } } });
          if (dialog) {
            dialog.querySelector('.library-filter').addEventListener('input', function (e) {
              const text = e.target.value.trim().toLowerCase();
              dialog.querySelectorAll('.media-choice[data-path]').forEach(function (c) { c.hidden = text.length > 0 && c.getAttribute('data-path').indexOf(text) < 0; });
            });
          }
          $('textarea[data-wysiwyg]').each(function () {
            const area = $(this);
            area.trumbowyg({
              lang: document.documentElement.lang === 'pl' ? 'pl' : 'en',
              semantic: true,
              autogrow: true,
              removeformatPasted: true,
              tagsToRemove: ['script', 'style', 'iframe', 'object', 'embed', 'link', 'meta'],
              btns: [['viewHTML'], ['formatting'], ['strong', 'em'], ['link'], ['libraryPicture', 'insertImage'], ['unorderedList', 'orderedList'], ['removeformat'], ['fullscreen']]
            });
            // The form's unsaved-changes guard and field messages listen for input on the named field.
            area.on('tbwchange tbwpaste', function () { this.dispatchEvent(new Event('input', { bubbles: true })); });
            // Its editable area is named like the field, for screen readers and the form's label.
            area.closest('.trumbowyg-box').find('.trumbowyg-editor')
              .attr({ role: 'textbox', 'aria-multiline': 'true', 'aria-label': $('label[for="' + this.id + '"]').text() });
          });
        })();
        """;

    /// <summary>say('text', a, b …): the text in the editor's language (the layout's #cmi-words), {0} … filled in.</summary>
    private const string WordsScript = """
        var say = (function () { // var: more than one of the CMI's scripts may declare it on a page
          let words = {};
          try { words = JSON.parse(document.getElementById('cmi-words').textContent); } catch (_) { /* English */ }
          return function (text) {
            const args = Array.prototype.slice.call(arguments, 1);
            return (words[text] || text).replace(/\{(\d+)\}/g, function (m, i) { return args[i] !== undefined ? String(args[i]) : m; });
          };
        })();
        // A media path as it goes into a URL: each segment escaped, the slashes kept ('news/a b.jpg' → 'news/a%20b.jpg').
        var mediaPath = function (path) { return path.split('/').map(encodeURIComponent).join('/'); };

        """;

    public const string MediaScript = WordsScript + VideoStatusScript + """
        // Uploads each chosen file with PUT /admin/api/media/{folder}/{name}, showing its own progress bar and, when
        // refused, why (kept on screen: the list reloads only when every file went in).
        (function () {
          const form = document.getElementById('upload');
          if (!form) return;
          const token = document.querySelector('meta[name="csrf-token"]').content;
          // A file just uploaded joins the library's list at once (no reload): a video there follows its packaging.
          const table = document.querySelector('table.library');
          const listed = function (file) {
            if (!table || !file || !file.path) return;
            const url = '/media/' + mediaPath(file.path);
            const row = document.createElement('tr');
            row.className = 'just-uploaded';
            const name = document.createElement('td');
            if (/\.(jpe?g|png|webp|gif)$/i.test(file.path)) {
              const img = document.createElement('img');
              img.src = url + '?width=100&height=100&format=auto'; img.alt = ''; img.width = 50; img.height = 50;
              img.style.verticalAlign = 'middle'; img.style.objectFit = 'cover';
              name.append(img, ' ');
            }
            const link = document.createElement('a'); link.href = url; link.textContent = file.path;
            name.append(link);
            const size = document.createElement('td'); size.textContent = Math.round(file.size / 1024) + ' KB';
            const video = document.createElement('td');
            if (/\.(mp4|m4v|mov|webm|ogv|3gp|avi|wmv|mpg)$/i.test(file.path)) {
              const cell = document.createElement('div');
              cell.className = 'video-status'; cell.dataset.videoPath = file.path; cell.dataset.videoStatus = 'pending'; cell.setAttribute('aria-live', 'polite');
              const state = document.createElement('span'); state.className = 'state'; state.textContent = say('waiting');
              cell.append(state); video.append(cell);
              if (window.embassyWatchVideos) window.embassyWatchVideos();
            }
            row.append(name, size, video, document.createElement('td'));
            const header = table.querySelector('tr');
            header.after(row);
          };
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            const folder = form.querySelector('[name=folder]').value.replace(/^\/+|\/+$/g, '');
            const list = document.getElementById('uploads');
            const files = Array.from(form.querySelector('[name=files]').files);
            let pending = files.length, failed = 0;
            const done = function (ok) { if (!ok) failed++; --pending; };
            files.forEach(function (file) {
              const row = document.createElement('li');
              const bar = document.createElement('progress');
              bar.max = 100; bar.value = 0;
              const label = document.createElement('span');
              label.textContent = ' ' + file.name + ' ';
              const status = document.createElement('span');
              status.setAttribute('role', 'status');
              row.append(bar, label, status);
              list.append(row);
              const path = (folder ? folder + '/' : '') + file.name;
              const send = function (query) {
                const xhr = new XMLHttpRequest();
                xhr.open('PUT', '/admin/api/media/' + mediaPath(path) + query);
                xhr.setRequestHeader('X-CSRF-TOKEN', token);
                xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
                xhr.onload = function () {
                  if (xhr.status < 300) {
                    bar.value = 100; status.textContent = say('uploaded'); status.className = 'status-published';
                    try { listed(JSON.parse(xhr.responseText)); } catch (_) { /* listed at the next visit */ }
                    done(true); return;
                  }
                  let problem = {};
                  try { problem = JSON.parse(xhr.responseText); } catch (_) {}
                  status.className = 'errors';
                  if (xhr.status === 409 && problem.existingPath) {
                    // The same file is in the library already: say where, and offer a copy anyway.
                    status.textContent = say('This file is already in the library as {0}: pick that one in your item.', problem.existingPath) + ' ';
                    const again = document.createElement('button');
                    again.type = 'button'; again.className = 'secondary'; again.textContent = say('Upload a copy anyway');
                    again.addEventListener('click', function () { again.remove(); status.textContent = ''; pending++; failed--; send('?allowDuplicate=true'); });
                    status.append(again);
                  } else {
                    status.textContent = problem.detail || (problem.errors ? JSON.stringify(problem.errors) : xhr.statusText);
                  }
                  done(false);
                };
                xhr.onerror = function () { status.textContent = say('the connection failed'); status.className = 'errors'; done(false); };
                xhr.send(file);
              };
              send('');
            });
          });
        })();
        """;

    /// <summary>
    /// The media library's video column follows the packaging live: while a video is pending or processing, the page asks
    /// /admin/api/videos every 2 s and shows its progress; once ready, its poster, duration and a player (no reload).
    /// </summary>
    private const string VideoStatusScript = """
        // A video plays its HLS package (as the app does) with hls.js where the browser has no HLS of its own, else
        // natively (Safari); without a package, the progressive file.
        function play(player) {
          const hls = player.dataset.hls, stream = player.dataset.stream;
          if (hls && window.Hls && window.Hls.isSupported()) {
            const engine = new window.Hls({ enableWorker: false });
            engine.loadSource(hls);
            engine.attachMedia(player);
            player.dataset.player = 'hls.js';
          } else if (hls && player.canPlayType('application/vnd.apple.mpegurl')) {
            player.src = hls; player.dataset.player = 'native-hls';
          } else if (stream) {
            player.src = stream; player.dataset.player = 'progressive';
          }
        }
        document.querySelectorAll('video[data-stream]').forEach(play);
        (function () {
          const cells = function () { return Array.from(document.querySelectorAll('.video-status[data-video-path]')); };
          const busy = function () { return cells().some(function (c) { return c.dataset.videoStatus !== 'ready' && c.dataset.videoStatus !== 'failed'; }); };
          const show = function (cell, video) {
            cell.dataset.videoStatus = video.status;
            cell.querySelector('.state').textContent = say(video.status === 'pending' ? 'waiting' : video.status) + (video.status === 'processing' ? ' ' + Math.round(video.progress) + '%' : '');
            if (video.status === 'ready' && !cell.querySelector('video')) {
              const player = document.createElement('video');
              player.controls = true; player.preload = 'none'; player.width = 200;
              player.dataset.stream = video.streamUrl;
              if (video.hlsUrl) player.dataset.hls = video.hlsUrl;
              if (video.posterUrl) player.poster = video.posterUrl;
              cell.append(player);
              play(player);
            }
            if (video.error && !cell.querySelector('.errors')) {
              const error = document.createElement('span'); error.className = 'errors'; error.textContent = video.error; cell.append(error);
            }
          };
          let watching = false;
          const poll = async function () {
            if (!busy()) { watching = false; return; }
            try {
              const response = await fetch('/admin/api/videos', { headers: { 'Accept': 'application/json' } });
              if (response.ok) {
                const byPath = {};
                (await response.json()).forEach(function (v) { byPath[v.path] = v; });
                cells().forEach(function (cell) { const v = byPath[cell.dataset.videoPath]; if (v) show(cell, v); });
              }
            } catch (_) { /* the next round tries again */ }
            setTimeout(poll, 2000);
          };
          // Started by the page, and again when an upload adds a video to the list.
          window.embassyWatchVideos = function () { if (!watching) { watching = true; setTimeout(poll, 2000); } };
          window.embassyWatchVideos();
        })();

        """;

    /// <summary>Every page: the navigation folds behind a Menu button on narrow screens (without script it stays open).</summary>
    public const string LayoutScript = """
        (function () {
          const header = document.querySelector('header.top');
          const button = header && header.querySelector('button.menu');
          if (!button) return;
          header.classList.add('folding');
          button.addEventListener('click', function () {
            const open = header.classList.toggle('open');
            button.setAttribute('aria-expanded', open ? 'true' : 'false');
          });
        })();
        """;

    public const string EditorScript = WordsScript + """
        // Markdown preview: renders the textarea through POST /admin/api/markdown (sanitized on the server).
        (function () {
          const meta = document.querySelector('meta[name="csrf-token"]');
          document.querySelectorAll('[data-preview-for]').forEach(function (button) {
            button.addEventListener('click', async function () {
              const name = button.getAttribute('data-preview-for');
              const source = document.getElementById(name);
              const target = document.getElementById(name + '-preview');
              if (!target.hidden) { target.hidden = true; button.textContent = say('Preview'); return; }
              const response = await fetch('/admin/api/markdown', { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-CSRF-TOKEN': meta ? meta.content : '' }, body: source.value });
              target.innerHTML = response.ok ? await response.text() : '<p class="errors">' + say('The preview failed ({0}).', response.status) + '</p>';
              target.hidden = false; button.textContent = say('Hide preview');
            });
          });
          // A media picker's search box shows only the files whose path has what was typed.
          document.querySelectorAll('.media-filter').forEach(function (box) {
            box.addEventListener('input', function () {
              const text = box.value.trim().toLowerCase();
              box.closest('.media-picker').querySelectorAll('.media-choice[data-path]').forEach(function (choice) {
                choice.hidden = text.length > 0 && choice.getAttribute('data-path').indexOf(text) < 0;
              });
            });
          });
          // Upload from a media picker: PUT into the library (the same intake and checks as the library's page), then the
          // file is offered and chosen in the picker; a file the library already holds is chosen where it is.
          document.querySelectorAll('.media-upload[data-upload-for]').forEach(function (box) {
            const input = box.querySelector('input[type=file]');
            const status = box.querySelector('.upload-status');
            const name = box.getAttribute('data-upload-for');
            const picker = document.getElementById(name);
            const multiple = box.getAttribute('data-multiple') === 'true';
            const choose = function (path) {
              let choice = Array.from(picker.querySelectorAll('input[name]')).find(function (c) { return c.value === path; });
              if (!choice) {
                const label = document.createElement('label');
                label.className = 'media-choice'; label.setAttribute('data-path', path.toLowerCase());
                choice = document.createElement('input');
                choice.type = multiple ? 'checkbox' : 'radio'; choice.name = name; choice.value = path;
                const text = document.createElement('span'); text.textContent = path;
                label.append(choice);
                if (/\.(jpe?g|png|webp|gif)$/i.test(path)) {
                  const img = document.createElement('img');
                  img.src = '/media/' + mediaPath(path) + '?width=100&height=100&format=auto';
                  img.alt = ''; img.width = 50; img.height = 50;
                  label.append(img);
                }
                label.append(text);
                picker.querySelector('.media-choices').append(label);
              }
              choice.checked = true;
              choice.dispatchEvent(new Event('change', { bubbles: true })); // the form has a change to save
            };
            input.addEventListener('change', function () {
              const file = input.files && input.files[0];
              if (!file) return;
              const path = box.getAttribute('data-upload-folder') + '/' + file.name;
              status.className = 'upload-status'; status.textContent = say('uploading…');
              const xhr = new XMLHttpRequest();
              xhr.open('PUT', '/admin/api/media/' + mediaPath(path));
              xhr.setRequestHeader('X-CSRF-TOKEN', meta ? meta.content : '');
              xhr.upload.onprogress = function (e) { if (e.lengthComputable) status.textContent = say('uploading…') + ' ' + Math.round(100 * e.loaded / e.total) + '%'; };
              xhr.onload = function () {
                let problem = {};
                try { problem = JSON.parse(xhr.responseText); } catch (_) {}
                if (xhr.status < 300) { choose(problem.path || path); status.className = 'upload-status status-published'; status.textContent = say('uploaded'); }
                else if (xhr.status === 409 && problem.existingPath) { choose(problem.existingPath); status.className = 'upload-status status-published'; status.textContent = say('This file is already in the library as {0}: it is chosen.', problem.existingPath); }
                else if (xhr.status === 409) { status.className = 'upload-status errors'; status.textContent = say('A different file named {0} is in the library: rename yours, or pick that one.', path); }
                else { status.className = 'upload-status errors'; status.textContent = problem.detail || (problem.errors ? Object.values(problem.errors).join(' ') : xhr.statusText); }
                input.value = '';
              };
              xhr.onerror = function () { status.className = 'upload-status errors'; status.textContent = say('the connection failed'); };
              xhr.send(file);
            });
          });
          // A file chosen in a picker gets its alternative text, decorative choice and focal point inputs at once.
          document.querySelectorAll('.media-picker').forEach(function (picker) {
            const template = document.querySelector('template.media-details-template[data-for="' + picker.id + '"]');
            if (!template) return;
            picker.addEventListener('change', function (e) {
              const choice = e.target;
              if (!choice || !choice.checked || !choice.value || choice.name !== picker.id) return;
              const exists = Array.from(document.querySelectorAll('.media-details')).some(function (d) {
                return d.getAttribute('data-path') === choice.value && d.parentElement === template.parentElement;
              });
              if (exists) return;
              const html = template.innerHTML.split('__PATH__').join(choice.value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'));
              template.insertAdjacentHTML('beforebegin', html);
            });
          });
          // Leaving an edit form with unsaved changes asks first (the browser's own question).
          const form = document.querySelector('form[data-guard-unsaved]');
          if (form) {
            let dirty = false;
            // Only inputs that are posted count (a picker's search box is not a change).
            form.addEventListener('input', function (e) { if (e.target && e.target.name) { dirty = true; } });
            form.addEventListener('change', function (e) { if (e.target && e.target.name) { dirty = true; } });
            form.addEventListener('submit', function () { dirty = false; });
            // A message next to an input goes once the input is changed (the server checks again on saving).
            form.addEventListener('input', function (e) {
              const name = e.target && e.target.name;
              if (!name) { return; }
              e.target.removeAttribute('aria-invalid');
              form.querySelectorAll('.field-error').forEach(function (m) { if (m.getAttribute('data-for') === name) { m.hidden = true; } });
            });
            window.addEventListener('beforeunload', function (e) { if (dirty) { e.preventDefault(); e.returnValue = ''; } });
          }
        })();
        """;
}
