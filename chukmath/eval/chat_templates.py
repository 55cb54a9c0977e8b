"""Chat templates and end-of-turn tokens for local models that lack them — above all a model loaded from a GGUF file.

``transformers`` does not read a chat template out of a GGUF file (and many GGUF files carry none: the Gemma 3 270M
one used by the tests has no ``tokenizer.chat_template``), and such a model's generation config often ends
generation only at ``<eos>`` although its chat turns end with ``<end_of_turn>``. :func:`prepare` fixes both, for
the transformers teacher and the training examples alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chukmath.errors import ConfigError

# Gemma's chat format (as in Gemma 3's tokenizer_config.json): a system turn is folded into the first user turn and
# the assistant is called "model".
GEMMA = (
    "{{ bos_token }}"
    "{%- if messages[0]['role'] == 'system' -%}"
    "{%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}{%- set loop_messages = messages[1:] -%}"
    "{%- else -%}{%- set first_user_prefix = '' -%}{%- set loop_messages = messages -%}{%- endif -%}"
    "{%- for message in loop_messages -%}"
    "{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}"
    "{{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else '') + message['content'] | trim"
    " + '<end_of_turn>\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}"
)
# ChatML (Qwen, many others).
CHATML = (
    "{%- for message in messages -%}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{%- endfor -%}{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\n' }}{%- endif -%}"
)
BUILTIN = {"gemma": GEMMA, "chatml": CHATML}
# Tokens that end an assistant turn in common chat formats; generation stops at any of them that the vocabulary has.
END_OF_TURN = ("<end_of_turn>", "<|im_end|>", "<|eot_id|>", "<|end|>", "<|endoftext|>")


def resolve(spec: str) -> str:
    """A chat template from ``spec``: a built-in name (``gemma``, ``chatml``), a file path, or the Jinja text."""
    if spec in BUILTIN:
        return BUILTIN[spec]
    if "{%" in spec or "{{" in spec:
        return spec
    path = Path(spec)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    raise ConfigError(f"--chat-template {spec!r}: not a built-in ({', '.join(BUILTIN)}), a file or a Jinja template")


def prepare(tokenizer: Any, model: Any, chat_template: str | None = None) -> str:
    """Give ``tokenizer`` a chat template and ``model`` the end-of-turn stop tokens; returns where the template came
    from (``given``, ``tokenizer``, or ``builtin gemma`` for a Gemma model without one)."""
    if chat_template:
        tokenizer.chat_template = resolve(chat_template)
        source = "given"
    elif getattr(tokenizer, "chat_template", None):
        source = "tokenizer"
    elif str(getattr(model.config, "model_type", "")).startswith("gemma"):
        tokenizer.chat_template = GEMMA
        source = "builtin gemma"
    else:
        raise ConfigError(
            f"the tokenizer of {getattr(model.config, '_name_or_path', 'this model')} has no chat template (a GGUF "
            "file often carries none); pass --chat-template gemma|chatml|FILE"
        )
    stops = stop_token_ids(tokenizer, model)
    if stops and getattr(model, "generation_config", None) is not None:
        model.generation_config.eos_token_id = sorted(stops)
    return source


def stop_token_ids(tokenizer: Any, model: Any) -> set[int]:
    """The ids that end a generated answer: the model's and tokenizer's EOS, and any end-of-turn token it knows."""
    ids: set[int] = set()
    config = getattr(model, "generation_config", None)
    for value in (getattr(config, "eos_token_id", None), tokenizer.eos_token_id):
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, list | tuple):
            ids.update(v for v in value if isinstance(v, int))
    vocab = tokenizer.get_vocab()
    ids.update(vocab[token] for token in END_OF_TURN if token in vocab)
    return ids


__all__ = ["BUILTIN", "CHATML", "END_OF_TURN", "GEMMA", "prepare", "resolve", "stop_token_ids"]
