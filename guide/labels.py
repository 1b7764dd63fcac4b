"""The few words around the guide's prose (headings, navigation, the video), per language.

Kept beside the prose for the same reason as the section titles (see ``guide.sections``): the
guide is whole in each language on its own, catalogue or not.
"""

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "guide": "Guide",
        "index_title": "The method, as Accord applies it",
        "index_intro": (
            "Accord turns a disciplined way of running partnerships into a daily tool. Each "
            "section below explains one idea: what it is for, how Accord puts it to work and "
            "where you meet it in the app. Pages with a question mark beside a field or panel "
            "link straight to the matching section."
        ),
        "contents": "Contents",
        "previous": "Previous",
        "next": "Next",
        "pager": "Previous and next sections",
        "back": "All sections of the guide",
        "walkthrough": "Watch a walkthrough",
        "walkthrough_intro": (
            "A recorded tour: a manager creates a partnership, runs the tier flow, fills in the "
            "fit card, logs evidence and sends the charter; the partner signs from the e-mailed "
            "link, and the sealed PDF passes the verification page."
        ),
        "walkthrough_captions": "Captions are available in English and in Spanish.",
        "walkthrough_fallback": "Your browser cannot play this video.",
        "walkthrough_missing": (
            "The walkthrough video has not been built on this installation. It is made from the "
            "running application, not stored with the code: run this command in the project "
            "folder, then reload this page."
        ),
        "caption_en": "English",
        "caption_es": "Spanish",
    },
    "es": {
        "guide": "Guía",
        "index_title": "El método, tal como lo aplica Accord",
        "index_intro": (
            "Accord convierte una forma rigurosa de gestionar alianzas en una herramienta de uso "
            "diario. Cada sección explica una idea: para qué sirve, cómo la aplica Accord y "
            "dónde la encontrará en la aplicación. Las páginas que muestran un signo de "
            "interrogación junto a un campo o un panel enlazan directamente con la sección "
            "correspondiente."
        ),
        "contents": "Contenido",
        "previous": "Anterior",
        "next": "Siguiente",
        "pager": "Secciones anterior y siguiente",
        "back": "Todas las secciones de la guía",
        "walkthrough": "Vea un recorrido guiado",
        "walkthrough_intro": (
            "Un recorrido grabado: un responsable crea una alianza, completa el flujo de nivel, "
            "rellena la ficha de adecuación, registra evidencias y envía el acta; el socio firma "
            "desde el enlace recibido por correo electrónico y el PDF sellado supera la página "
            "de verificación."
        ),
        "walkthrough_captions": "Hay subtítulos en inglés y en español.",
        "walkthrough_fallback": "Su navegador no puede reproducir este video.",
        "walkthrough_missing": (
            "El video del recorrido todavía no se ha generado en esta instalación. Se graba a "
            "partir de la aplicación en funcionamiento y no se guarda junto con el código: "
            "ejecute este comando en la carpeta del proyecto y vuelva a cargar esta página."
        ),
        "caption_en": "Inglés",
        "caption_es": "Español",
    },
}
