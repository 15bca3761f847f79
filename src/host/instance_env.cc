#include "host/instance_env.h"

namespace stdb::host {

namespace {

// Finds a free slot (or appends one) and returns its 1-based id.
template <typename T>
uint32_t Emplace(std::vector<std::optional<T>>& slab, T value) {
  for (size_t i = 0; i < slab.size(); ++i) {
    if (!slab[i]) {
      slab[i] = std::move(value);
      return uint32_t(i + 1);
    }
  }
  slab.push_back(std::move(value));
  return uint32_t(slab.size());
}

template <typename T>
T* Lookup(std::vector<std::optional<T>>& slab, uint32_t id) {
  if (id == 0 || id > slab.size() || !slab[id - 1]) return nullptr;
  return &*slab[id - 1];
}

}  // namespace

uint32_t InstanceEnv::AddSource(sats::Bytes bytes) {
  if (bytes.empty()) return 0;
  // Ids count up from 1 within a call (the reference never reuses them before the reset).
  sources_.push_back(Source{std::move(bytes), 0});
  return uint32_t(sources_.size());
}

InstanceEnv::Source* InstanceEnv::FindSource(uint32_t id) { return Lookup(sources_, id); }

void InstanceEnv::FreeSource(uint32_t id) {
  if (id != 0 && id <= sources_.size()) sources_[id - 1].reset();
}

uint32_t InstanceEnv::NewSink() {
  sinks_.push_back(sats::Bytes());
  return uint32_t(sinks_.size());
}

sats::Bytes* InstanceEnv::FindSink(uint32_t id) { return Lookup(sinks_, id); }

sats::Bytes InstanceEnv::TakeSink(uint32_t id) {
  sats::Bytes* s = FindSink(id);
  return s ? std::move(*s) : sats::Bytes();
}

void InstanceEnv::ResetCallHandles() {
  sources_.clear();
  sinks_.clear();
}

uint32_t InstanceEnv::AddIterator(std::vector<sats::Bytes> chunks) {
  return Emplace(iters_, RowIter{std::move(chunks), 0});
}

InstanceEnv::RowIter* InstanceEnv::FindIterator(uint32_t id) { return Lookup(iters_, id); }

bool InstanceEnv::CloseIterator(uint32_t id) {
  if (!FindIterator(id)) return false;
  iters_[id - 1].reset();
  return true;
}

size_t InstanceEnv::open_iterators() const {
  size_t n = 0;
  for (const auto& i : iters_) n += i.has_value();
  return n;
}

uint32_t InstanceEnv::StartTimer(std::string name) {
  return Emplace(timers_, Timer{std::move(name), std::chrono::steady_clock::now()});
}

std::optional<std::pair<std::string, std::chrono::microseconds>> InstanceEnv::EndTimer(uint32_t id) {
  Timer* t = Lookup(timers_, id);
  if (!t) return std::nullopt;
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t->start);
  std::pair<std::string, std::chrono::microseconds> out{std::move(t->name), elapsed};
  timers_[id - 1].reset();
  return out;
}

void RowChunker::Add(sats::ByteSpan row) {
  current_.insert(current_.end(), row.begin(), row.end());
  if (current_.size() > kChunkSize) chunks_.push_back(std::move(current_)), current_.clear();
}

std::vector<sats::Bytes> RowChunker::Finish() {
  if (!current_.empty()) chunks_.push_back(std::move(current_));
  current_.clear();
  return std::move(chunks_);
}

}  // namespace stdb::host
